"""Reading inputs and writing outputs safely, shared by `pirdoc.load`, `pirdoc.write`,
`pirdoc.dump`, the importers and the CLI.

Inputs are read only from regular files and never past a size limit (a symlink to ``/dev/zero``
or a FIFO is refused, not read). Outputs are written atomically, through a temporary file named
after the process that writes it, and only over a regular file (a symlink, a FIFO or a device in
the way is refused, never replaced); temporary files left by a killed process are removed the
first time a later process writes a file into their folder."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pirdoc.errors import ReviewLoadError

if TYPE_CHECKING:  # the pool is imported when the first file is written in the background
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = [
    "NotARegularFileError", "make_folder", "read_input", "remove_stale_temporaries", "write_bytes", "write_bytes_soon"
]


class NotARegularFileError(OSError):
    """An output path holds something other than a regular file (a symbolic link, a FIFO, a
    device): it is refused rather than replaced."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    """What a file of ``mode`` is, in words, for one that is not a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_input(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``, which must hold at most ``limit`` bytes.

    The file is opened without blocking and checked before anything is read, so a FIFO, a device
    (or a symbolic link to one) or a folder is refused at once; the read itself stops after
    ``limit + 1`` bytes whatever the file claims its size to be. Raises `ReviewLoadError` with
    ``source`` set to ``path``."""
    source = os.fspath(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(source, flags)
    except OSError as exc:
        raise ReviewLoadError([f"cannot read the file: {exc.strerror or exc}"], source) from exc
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise ReviewLoadError([f"cannot read the file: it is {_kind(status.st_mode)}, not a regular file"], source)
        size = status.st_size
        if size <= limit:  # read no further than the limit, whatever the size said (the file may grow)
            chunks: list[bytes] = []
            size = 0
            while size <= limit:
                chunk = os.read(handle, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise ReviewLoadError([f"cannot read the file: {exc.strerror or exc}"], source) from exc
    finally:
        os.close(handle)
    if size > limit:
        shown = f"{size / 1024 / 1024:.1f} MB"
        raise ReviewLoadError([f"input is too large ({shown}); the limit is {limit / 1024 / 1024:g} MB"], source)
    return b"".join(chunks)


def _mode_for(target: Path) -> int:
    """The permissions the file should get: those of the file it replaces, else the umask's."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without setting it where Linux shows it: setting it, even for a
    moment, changes the permissions of any file another thread creates meanwhile (files are
    written on a thread of their own, `write_bytes_soon`)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0)
    os.umask(umask)
    return umask


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


# ".<target name>.pirdoc-<pid>.<random>.tmp": the process id tells a later run whether the
# writer is gone (killed half-way), so that its leftover can be removed.
_TEMPORARY = re.compile(r"^\..+\.pirdoc-(\d+)\.[^./]+\.tmp$")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else, or we cannot tell: leave its files
        return True
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files in ``folder`` that a writer killed half-way left behind (named
    after a process that no longer runs); returns what was removed. Errors are ignored: this is
    housekeeping, not part of a write."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None or _process_alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


_CLEANED: set[str] = set()
"""Folders this process has already removed leftovers from: once is enough (a batch writes many
files into one folder, and scanning it for each would cost the square of their number)."""


def _clean_once(folder: Path) -> None:
    key = os.path.abspath(folder)
    if key not in _CLEANED:
        _CLEANED.add(key)
        remove_stale_temporaries(folder)


def _refuse_special(target: Path) -> None:
    """Raise unless ``target`` is absent or a regular file (never follows a symbolic link)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(target))
    raise NotARegularFileError(
        errno.EEXIST, f"{_kind(mode)} is in the way; refusing to replace it with a file", os.fspath(target)
    )


_CREATE: Final = (
    os.O_RDWR | os.O_CREAT | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new file beside ``target``, readable and writable by its owner only, under a name no
    other file has (``.name.pirdoc-<pid>.<8 random hex digits>.tmp``, as long as the name
    `tempfile.mkstemp` made): what mkstemp makes, without importing it, which brings `shutil` and
    `random` (a twentieth of the command's start-up)."""
    for _ in range(100):
        temporary = os.path.join(target.parent, f".{target.name}.pirdoc-{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(temporary, _CREATE, 0o600), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary file name found", os.fspath(target.parent))


def write_bytes(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` through a temporary file in the same folder and a rename, so
    that a failure leaves no partial file and an existing file untouched.

    Only a regular file is replaced: a symbolic link, a FIFO, a device or a folder at ``target``
    raises (`NotARegularFileError`, `IsADirectoryError`) and is left as it is.
    An `OSError` names ``target`` (not the temporary file) and keeps the errno and subclass."""
    try:
        make_folder(target.parent)
        _refuse_special(target)
        _clean_once(target.parent)
        handle, temporary = _create_temporary(target)
    except NotARegularFileError:
        raise
    except OSError as exc:
        raise _naming(target, exc) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # the temporary file is made readable by its owner only; give it ordinary permissions.
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _naming(target, exc) from exc
        raise
    return target


_writer: ThreadPoolExecutor | None = None
_writer_lock = threading.Lock()


def _forget_writer() -> None:
    # A forked child has neither the parent's writing thread nor, if another thread held it at
    # the fork, a usable lock.
    global _writer, _writer_lock
    _writer = None
    _writer_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_writer)


def write_bytes_soon(target: Path, data: bytes) -> Future[Path]:
    """`write_bytes` on a thread of its own: the returned future gives ``target`` once the file
    is on disk, or raises what `write_bytes` raised.

    A file is made durable before its rename (`os.fsync`), and the disk takes about as long
    as rendering a small format: a batch that waits for each file does nothing meanwhile. So
    the command line renders an input's next format while the last one is being written. One
    thread per process writes, in the order asked; a forked child starts a thread of its own."""
    global _writer
    with _writer_lock:
        if _writer is None:
            from concurrent.futures import ThreadPoolExecutor

            _writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pirdoc-write")
        executor = _writer
    return executor.submit(write_bytes, target, data)
