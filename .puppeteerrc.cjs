/**
 * Puppeteer configuration for this repository.
 *
 * The build drives Debian's Chromium (/usr/bin/chromium, package `chromium`)
 * and must never download a browser: the machines that build the course reach
 * package registries only. `puppeteer` is installed solely because
 * @mermaid-js/mermaid-cli (used by the benchmark) requires it as a peer; our
 * own renderer uses `puppeteer-core`.
 */
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
};
