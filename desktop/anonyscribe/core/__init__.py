"""The Qt-free heart: document model, register, study storage, atomic files."""
