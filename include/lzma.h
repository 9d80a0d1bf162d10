/* Temporary shim: the system liblzma header until clearxz's own lzma.h lands. */
#include "/usr/include/lzma.h"
