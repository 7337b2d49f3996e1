"""`python -m chatbot_watch`: see cli.py."""

import sys
from importlib.abc import MetaPathFinder

from chatbot_watch.cli import main


class _NoPandas(MetaPathFinder):
    """pyarrow imports pandas the first time it turns a list into an array, only to ask whether
    the list is a pandas object: 0.3 to 0.5 s, half of a build of the real data. A build process
    holds no pandas object, so there pandas cannot be imported (an import of it fails loudly).
    Only in this process: pyarrow remembers the answer, and the app needs pandas."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:  # noqa: ARG002
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError(f"{name} is not imported by `python -m chatbot_watch build`", name=name)


if sys.argv[1:2] == ["build"] and "pandas" not in sys.modules:
    sys.meta_path.insert(0, _NoPandas())

sys.exit(main())
