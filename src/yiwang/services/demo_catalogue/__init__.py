"""示范市政务服务事项实施清单 (STANDARDS.md §4): the demo catalogue of 一网通办 — twenty-two
items of eleven departments, two 一件事 bundles and the windows of the halls. Plain data;
the demo loader writes it through the catalogue services.

Invented but realistic. The legal bases are the real laws and regulations (with article
numbers where the article is the one that sets the power or the time limit); conditions,
materials lists, 法定/承诺办结时限, 办件类型, 网办深度, 到办事现场次数 and fees follow what 浙江
实施清单 publish. The city, its addresses and its telephone numbers are not real: the area
code 0589 is one no Chinese city uses.

Shape (so that the loader is mechanical):

- `ITEMS`: `{"key", "department", "base_code", "content", "materials"}`. `content` holds every
  editable field of `ServiceItemVersion` under its own name, enumerations as their stored
  codes, with three exceptions the loader resolves: `acceptance_department` is a department
  NAME (None: the implementing department accepts, e.g. the 婚姻登记处), `joint_departments`
  a list of department NAMES, `result_license_type` a licence type NAME of
  `licenses/demo_catalogue.py` ("" when the result is a decision document). A material's
  `license_type` is a licence type NAME too; its position is its place in the list.
  `license_type_code(name)` gives the code the licence demo creates for a name.
- `base_code` (基本编码, GB/T 39554.1-2020 shape, invented): "3399", the department's serial
  in `core.demo.city.DEPARTMENTS` (2 digits), the 事项类型 letter (`TYPE_LETTERS`), 3 digits,
  "0000".
- `BUNDLES`: `{"code", "name", "life_event", "subject", "lead_department", "description",
  "keywords", "items": [item keys]}`. Form fields with the same code in a bundle's items
  have the same definition: the merged form asks them once.
- `WINDOWS`: `{"department", "code", "name"}` — the desks 一次一评 ratings are counted for.
"""

from __future__ import annotations

from yiwang.services.demo_catalogue.bundles import BUNDLES
from yiwang.services.demo_catalogue.common import TYPE_LETTERS, WINDOWS, license_type_code
from yiwang.services.demo_catalogue.items_1 import ITEMS as _items_1
from yiwang.services.demo_catalogue.items_2 import ITEMS as _items_2
from yiwang.services.demo_catalogue.items_3 import ITEMS as _items_3
from yiwang.services.demo_catalogue.items_4 import ITEMS as _items_4

ITEMS = [*_items_1, *_items_2, *_items_3, *_items_4]

__all__ = ["BUNDLES", "ITEMS", "TYPE_LETTERS", "WINDOWS", "license_type_code"]
