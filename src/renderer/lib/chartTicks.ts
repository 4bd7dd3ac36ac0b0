/**
 * Tick label props for recharts axes: labels drawn as they are, without recharts' word wrapping. An
 * axis hands its width to every tick label's <Text>, which then measures each word in the DOM to wrap
 * it (getWordsByLines -> getStringSize): our labels are single numbers, and that measuring was the
 * largest part of a chart update in a profiled replay (~280 of ~1,000 ms). A width of 0 turns it off;
 * the labels render the same.
 */
export const PLAIN_TICK = { width: 0 } as const;
