//! `RecordArray`: many records of one Record class stored column by column in buffers owned
//! here, with numpy views and the Arrow PyCapsule interface. See `docs/array.md`.

mod access;
mod arrow_abi;
mod arrow_in;
mod arrow_out;
mod cells;
mod column;
mod core;
mod raw;
mod staged;
mod table;
mod take;
mod view;

use pyo3::prelude::*;

/// Adds the array types to `slotkit._core`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<core::RecordArrayBase>()?;
    m.add_class::<core::RowIter>()?;
    m.add_class::<view::ColumnView>()?;
    Ok(())
}
