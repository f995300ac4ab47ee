/** Where Debian's chromium package puts the browser: the real-browser mode's default. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium'
