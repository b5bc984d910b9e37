"""One page class per phase workbook; :func:`coachkit.pages.workbook.open_page` picks one."""
