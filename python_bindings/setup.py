"""Builds the tokforge._tokforge extension with the project's CMake build.

pip runs this from python_bindings/, so the CMake project is the parent
folder. The extension is built for the interpreter that runs pip, and
CMAKE_ARGS adds options to the configure step.
"""

import os
import shlex
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE_DIR = Path(__file__).resolve().parent.parent


class CMakeBuild(build_ext):
    def build_extension(self, extension: Extension) -> None:
        build_dir = Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(SOURCE_DIR), "-B", str(build_dir),
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DCMAKE_BUILD_TYPE=Release",
            "-DTOKFORGE_BUILD_TESTS=OFF", "-DTOKFORGE_BUILD_BENCH=OFF",
            *shlex.split(os.environ.get("CMAKE_ARGS", "")),
        ]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "tokforge_python",
                        "-j", jobs], check=True)
        built = next((build_dir / "python_bindings" / "tokforge").glob("_tokforge*.so"))
        target = Path(self.get_ext_fullpath(extension.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built), str(target))


setup(
    ext_modules=[Extension("tokforge._tokforge", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
