"""Checks of this family are being written; see the issue tracker."""
