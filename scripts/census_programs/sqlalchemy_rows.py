"""An ORM loading 100,000 rows: SQLAlchemy 2 declarative models over an SQLite database in
memory; the loaded objects are kept, as a request handler or a report would keep them."""

import sys

from sqlalchemy import Boolean, Float, Integer, String, create_engine, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 100_000


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(80))
    balance: Mapped[float] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean)


engine = create_engine("sqlite://")
Base.metadata.create_all(engine)
with engine.begin() as conn:
    conn.execute(insert(Customer), [
        {"id": i, "name": f"customer {i}", "email": f"c{i}@example.com", "balance": i * 1.25, "active": i % 3 == 0}
        for i in range(ROWS)
    ])
session = Session(engine)
customers = session.scalars(select(Customer)).all()
print(f"loaded {len(customers):,} customers", file=sys.stderr)
