"""Exercises every RecordArray path (run by test_array_gc.py under -X dev with gc stress)."""

import copy
import gc
import pickle

import numpy as np
from array_classes import Point3D, Reading, Tagged, reading

gc.set_threshold(1)
for _ in range(3):
    arr = Reading.array()
    arr.extend(reading(i) for i in range(50))
    arr.extend_columns(**{n: arr.column_list(n) for n in arr.field_names})
    arr[3] = reading(99)
    arr = arr[::2]
    arr.sort(by="sensor")
    assert pickle.loads(pickle.dumps(arr)) == arr
    pts = Point3D.array()
    pts.extend_columns(x=np.arange(100.0), y=np.zeros(100), z=np.ones(100))
    v = pts.x
    v += 1
    del v
    pts.append(Point3D(0.0, 0.0, 0.0))
    t = Tagged.array()
    t.extend(Tagged(float(i), [t]) for i in range(20))
    copy.deepcopy(t)
    del t, arr, pts
    gc.collect()
print("ok")
