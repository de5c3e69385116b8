"""xueji-addin: the student-registration (学籍) template, checked while you type.

The package is layered (see DESIGN.md): ``spec`` (data) → ``rules`` (pure checks) →
``workbook`` (files) → ``actions`` (use cases) → ``cli`` / ``excel`` (front ends).
"""

__version__ = "0.1.0"
