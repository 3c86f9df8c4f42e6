// The memory form's enhancements (thumbnails, EXIF, progress, reordering): the next commit.
