//! The columns of a RecordArray and the operations that keep them the same length: append
//! staged rows (reserve everything first, then write: nothing can fail half-way), overwrite a
//! row, gather rows by index.

use pyo3::prelude::*;

use super::column::{Cell, Column, Storage};
use super::raw::NoMemory;

pub struct Table {
    pub columns: Vec<Column>,
    pub len: usize,
}

impl Table {
    /// Reserves room for `rows` (staged as `cells[row][col]`-like access through `cell`).
    fn reserve_for<'a>(&mut self, rows: usize, cell: impl Fn(usize, usize) -> &'a Cell, exact: bool) -> Result<(), NoMemory> {
        for (c, col) in self.columns.iter_mut().enumerate() {
            let mut text = 0;
            let mut nulls = false;
            for r in 0..rows {
                let x = cell(r, c);
                text += x.text().len();
                nulls |= matches!(x, Cell::Null);
            }
            col.reserve(rows, text, nulls, self.len, exact)?;
        }
        Ok(())
    }

    /// Appends staged rows, `rows[r][c]` being column `c` of row `r`. Either every row is
    /// appended or (out of memory) none.
    pub fn push_rows(&mut self, rows: &[Vec<Cell>], py: Python<'_>) -> Result<(), NoMemory> {
        self.reserve_for(rows.len(), |r, c| &rows[r][c], false)?;
        for row in rows {
            for (col, cell) in self.columns.iter_mut().zip(row) {
                col.push(cell, py);
            }
        }
        self.len += rows.len();
        Ok(())
    }

    /// Appends every row of `other` (same class, built by an import): moved in when this
    /// table is empty, else copied.
    pub fn append(&mut self, other: Table, py: Python<'_>) -> Result<(), NoMemory> {
        if self.len == 0 {
            for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
                *mine = theirs;
            }
            self.len = other.len;
            return Ok(());
        }
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            let text = theirs.data.len();
            mine.reserve(other.len, text, theirs.validity.is_some(), self.len, false)?;
            for i in 0..other.len {
                let valid = theirs.is_valid(i);
                match mine.storage {
                    Storage::F64 | Storage::I64 => mine.values.push(theirs.values.get::<u64>(i)),
                    Storage::Bool => mine.values.push(theirs.values.get::<u8>(i)),
                    Storage::Str | Storage::Bytes => {
                        mine.data.push_bytes(theirs.text(i));
                        mine.values.push(mine.data.len() as i64);
                    }
                    Storage::Object => mine.objects.push(theirs.objects[i].clone_ref(py)),
                }
                if let Some(v) = mine.validity.as_mut() {
                    v.push(valid);
                }
            }
        }
        self.len += other.len;
        Ok(())
    }

    /// True when writing `row` over row `i` changes the size of a text buffer.
    pub fn resizes_text(&self, i: usize, row: &[Cell]) -> bool {
        self.columns.iter().zip(row).any(|(col, cell)| col.is_text() && col.text(i).len() != cell.text().len())
    }

    /// Overwrites row `i` with a staged row.
    pub fn put_row(&mut self, i: usize, row: &[Cell], py: Python<'_>) -> Result<(), NoMemory> {
        // Own imported bytes and reserve every text growth first, so nothing is written if
        // memory runs out.
        for (col, cell) in self.columns.iter_mut().zip(row) {
            col.own()?;
            if col.is_text() {
                let grow = cell.text().len().saturating_sub(col.text(i).len());
                col.data.reserve(grow)?;
                if matches!(cell, Cell::Null) && col.validity.is_none() {
                    col.reserve(0, 0, true, self.len, false)?;
                }
            } else if matches!(cell, Cell::Null) && col.validity.is_none() {
                col.reserve(0, 0, true, self.len, false)?;
            }
        }
        for (col, cell) in self.columns.iter_mut().zip(row) {
            if col.is_text() {
                replace_text(col, i, cell, self.len);
            } else {
                col.put(i, cell, py);
            }
        }
        Ok(())
    }

    /// A new table with rows `idx` (each `< len`) in that order.
    pub fn take(&self, idx: &[usize], py: Python<'_>) -> Result<Table, NoMemory> {
        let mut out = Vec::with_capacity(self.columns.len());
        for col in &self.columns {
            let mut new = Column::new(col.name.clone_ref(py), col.kind)?;
            let text: usize = if col.is_text() { idx.iter().map(|&i| col.text(i).len()).sum() } else { 0 };
            let nulls = col.validity.is_some() && idx.iter().any(|&i| !col.is_valid(i));
            new.reserve(idx.len(), text, nulls, 0, true)?;
            for &i in idx {
                let valid = col.is_valid(i);
                match col.storage {
                    Storage::F64 | Storage::I64 => new.values.push(col.values.get::<u64>(i)),
                    Storage::Bool => new.values.push(col.values.get::<u8>(i)),
                    Storage::Str | Storage::Bytes => {
                        new.data.push_bytes(col.text(i));
                        new.values.push(new.data.len() as i64);
                    }
                    Storage::Object => new.objects.push(col.objects[i].clone_ref(py)),
                }
                if let Some(v) = new.validity.as_mut() {
                    v.push(valid);
                }
            }
            out.push(new);
        }
        Ok(Table { columns: out, len: idx.len() })
    }
}

/// Writes a text cell over row `i` of a str/bytes column: the data after it moves by the
/// difference in length and the following offsets shift (O(bytes after row i)). Room for
/// growth was reserved.
fn replace_text(col: &mut Column, i: usize, cell: &Cell, len: usize) {
    let new = cell.text();
    let (a, b) = (col.values.get::<i64>(i) as usize, col.values.get::<i64>(i + 1) as usize);
    let old_len = b - a;
    let total = col.data.len();
    if new.len() != old_len {
        let tail = total - b;
        if new.len() > old_len {
            col.data.push_zeros(new.len() - old_len);
        }
        let bytes = col.data.bytes_mut();
        bytes.copy_within(b..b + tail, a + new.len());
        col.data.truncate(a + new.len() + tail);
        let delta = new.len() as i64 - old_len as i64;
        for j in i + 1..=len {
            let o = col.values.get::<i64>(j);
            col.values.set(j, o + delta);
        }
    }
    col.data.bytes_mut()[a..a + new.len()].copy_from_slice(new);
    if let Some(v) = col.validity.as_mut() {
        v.set(i, !matches!(cell, Cell::Null));
    }
}
