"""Packaging for talon_one, the Python SDK for the Talon.One Integration API."""

import os

from setuptools import find_packages, setup

HERE = os.path.abspath(os.path.dirname(__file__))


def read_version():
    namespace = {}
    with open(os.path.join(HERE, "talon_one", "version.py"), encoding="utf-8") as handle:
        exec(handle.read(), namespace)
    return namespace["__version__"]


def read_readme():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as handle:
        return handle.read()


setup(
    name="talon_one",
    version=read_version(),
    description="Python SDK for the Talon.One Integration API",
    long_description=read_readme(),
    long_description_content_type="text/markdown",
    url="https://docs.talon.one/integration-api",
    python_requires=">=3.9",
    packages=find_packages(include=["talon_one", "talon_one.*"]),
    package_data={
        "talon_one": ["py.typed"],
        "talon_one.sandbox": ["*.json", "*.md"],
    },
    include_package_data=True,
    install_requires=[
        "urllib3>=1.25.3,<3",
        "python-dateutil>=2.8.2",
        "six>=1.16",
        "certifi>=2017.4.17",
    ],
    extras_require={
        # talon_one.aio, the asyncio client: pip install 'talon_one[aio]'
        "aio": ["aiohttp>=3.9,<4"],
        # The progress bar of the talon-one command (it falls back to log lines without).
        "cli": ["tqdm>=4.40"],
        # OpenTelemetry spans (Configuration.tracing): pip install 'talon_one[otel]'
        "otel": ["opentelemetry-api>=1.20"],
    },
    entry_points={
        "console_scripts": ["talon-one=talon_one.cli:run"],
    },
    keywords=["Talon.One", "promotion engine", "Integration API", "SDK"],
    classifiers=[
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3 :: Only",
        "Typing :: Typed",
        "Operating System :: OS Independent",
    ],
    zip_safe=False,
)
