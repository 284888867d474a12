"""accounts tests: the generated permission matrix prints its size at the end of the run."""

from accounts.tests.matrix_entries import SUMMARY


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.write_line(SUMMARY[0])
