"""Atomic file writing, shared by `pirdoc.write`, `pirdoc.dump` and the CLI."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["make_folder", "write_bytes"]


def _mode_for(target: Path) -> int:
    """The permissions the file should get: those of the file it replaces, else the umask's."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _naming(path: Path, exc: OSError) -> OSError:
    """``exc`` about ``path``: the same kind of error (errno and subclass), without the name of a
    temporary file or a parent folder in it."""
    if exc.errno is None:
        return OSError(f"{path}: {exc}")
    return OSError(exc.errno, exc.strerror or os.strerror(exc.errno), os.fspath(path))


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents if need be. An `OSError` names ``folder``; a file in the
    way is a `NotADirectoryError`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # exist_ok=True raises this only for a non-folder
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), os.fspath(folder)) from exc
    except OSError as exc:
        raise _naming(folder, exc) from exc


def write_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a rename, so
    that a failure leaves no partial file and an existing file untouched.

    An `OSError` names ``target`` (not the temporary file) and keeps the errno and subclass."""
    try:
        make_folder(target.parent)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _naming(target, exc) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file readable by its owner only; give it ordinary permissions.
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _naming(target, exc) from exc
        raise
    return target
