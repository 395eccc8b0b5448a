"""示范市, the demo city: data in `city`, loaded by `loader` (`yiwang demo`).

Later pillars add their own demo data by shipping a `demo` module (or package) in their app
with a function `load(*, actor)`; see `loader.load_extensions`.
"""
