// The system chromium, driven by playwright-core (already a devDependency for the HTML-timeline tests),
// with a fake microphone that plays a speech WAV: --use-file-for-fake-audio-capture reads 16-bit PCM WAV
// at any rate (media/audio/fake_audio_input_stream.cc, WavAudioHandler); "%noloop" plays it once, then silence.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Under CI a missing chromium fails the run; locally the suite is skipped with a banner. */
export function chromiumPrereq(): { skip: boolean } {
  if (existsSync(CHROMIUM)) return { skip: false };
  const banner = `\n${'!'.repeat(78)}\n!! real-client browser tests: ${CHROMIUM} not found.\n!! Install it with:  apt-get update && apt-get install -y chromium\n${'!'.repeat(78)}\n`;
  if (process.env['CI']) throw new Error(`CI: chromium missing (never skipped under CI):${banner}`);
  console.warn(banner);
  return { skip: true };
}

export interface FakeMicBrowser {
  browser: Browser;
  page(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchWithFakeMic(wav: string): Promise<FakeMicBrowser> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}%noloop`,
    ],
  });
  return {
    browser,
    page: async () => {
      const ctx = await browser.newContext({ permissions: ['microphone'] });
      return ctx.newPage();
    },
    close: () => browser.close(),
  };
}
