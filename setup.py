"""The build: everything is in pyproject.toml except the scorer's compiled modules.

The modules that grade an answer are compiled to C with mypyc when the package is built
(`pip install .`): the same source, about a third less CPU per answer, which is what
`trainer grade` needs for its throughput target. Any build that cannot compile them (no C
compiler, no mypy, a type error) installs them as plain Python, and so does an editable
install (`pip install -e .`), so that an edited module is what runs. TRAINER_PURE_PYTHON=1
asks for plain Python always. `python -m trainer doctor` says which one is installed.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The answer's path through the scorer: tokenising, the lexicon, the compiled keywords,
# the index and its matching, evidence and negation, misconceptions, and the grader that
# ties them.
COMPILED = [
    "trainer/scoring/text.py",
    "trainer/scoring/normalise.py",
    "trainer/scoring/lexicon.py",
    "trainer/scoring/keywords.py",
    "trainer/scoring/matcher.py",
    "trainer/scoring/prefilter.py",
    "trainer/scoring/evidence.py",
    "trainer/scoring/negation.py",
    "trainer/scoring/assertion.py",
    "trainer/scoring/binding.py",
    "trainer/scoring/kinds.py",
    "trainer/scoring/combine.py",
    "trainer/scoring/draft.py",
    "trainer/scoring/grader.py",
]


def _compiled_modules() -> list[object]:
    if os.environ.get("TRAINER_PURE_PYTHON") or "editable_wheel" in sys.argv:
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify(COMPILED, opt_level="3")
    except BaseException as exc:  # noqa: BLE001  (mypy reports type errors by SystemExit)
        print(f"trainer: the scorer is installed as plain Python: mypyc could not compile "
              f"it ({exc!r})", file=sys.stderr)
        return []
    return list(extensions)


class AllOrNothing(build_ext):
    """Every compiled module, or none: the modules share one compiled runtime, so a build
    that fails part-way installs plain Python throughout rather than a mix that cannot
    import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001  (compiler and linker errors vary)
            print(f"trainer: the scorer is installed as plain Python: compiling it failed "
                  f"({exc!r})", file=sys.stderr)
            for extension in self.extensions:
                path = self.get_ext_fullpath(extension.name)
                if os.path.exists(path):
                    os.remove(path)
            self.extensions = []


setup(ext_modules=_compiled_modules(), cmdclass={"build_ext": AllOrNothing})
