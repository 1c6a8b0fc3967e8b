/** Where each rendering of a chart goes, known to the writers that make the files and to those that link them. */
export const chartFiles = (id: string) => ({ png: `${id}.png`, talkPng: `${id}-talk.png`, svg: `${id}.svg` });
