"""pytest plugin used by ``nbgrade``: a cell whose ``execute_reply`` status is ``error`` fails.

nbval notices an exception only through the ``error`` message IPython publishes from
``showtraceback``; a notebook that overrides ``showtraceback`` (or ``sys.excepthook``) would hide
it. The kernel's reply to the execute request still says ``error``; this plugin records that
status and fails the cell.
"""

import pytest
from nbval import kernel as _kernel
from nbval import plugin as _plugin


def _await_reply(self, msg_id, timeout=None):
    while True:
        msg = self.get_message(stream="shell", timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            status = msg["content"].get("status")
            if status == "aborted":
                raise RuntimeError("Kernel aborted execution request")
            self._grader_status = status
            return


_original_runtest = _plugin.IPyNbCell.runtest


def _runtest(self):
    kernel = self.parent.kernel
    if kernel is not None:
        kernel._grader_status = None
    _original_runtest(self)
    kernel = self.parent.kernel
    if kernel is not None and getattr(kernel, "_grader_status", None) == "error" \
            and not self.options["check_exception"]:
        pytest.fail("the cell raised an exception (the kernel reported an error; the traceback "
                    "display may have been overridden)", pytrace=False)


_kernel.RunningKernel.await_reply = _await_reply
_plugin.IPyNbCell.runtest = _runtest
