"""Outside checkers for the pages: axe-core and the Nu HTML checker (install.sh fetches the
npm ones into build/tools)."""
