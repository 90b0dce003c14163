"""Pure Thai text functions: repair, wrapped-line joining, text quality.

The bottom of the package: `kamrap.parsers` and `kamrap.normalize` both use these, and they
import nothing else of kamrap, so no two subpackages import each other.
"""
