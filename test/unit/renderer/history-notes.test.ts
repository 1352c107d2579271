import { describe, expect, it } from 'vitest';
import { historyNotes } from '../../../renderer/model/history-notes.js';
import { sourceInfos } from '../../support/fake-api.js';

describe('historyNotes', () => {
  const sources = sourceInfos(['github', 'dockerhub', 'npm']);

  it('gives the source’s note for a charted metric it cannot read back, once per source', () => {
    const notes = historyNotes(sources, ['github_repo_release_downloads', 'docker_hub_image_pulls_total', 'github_repo_release_downloads', 'docker_hub_image_stars']);
    expect(notes.map((note) => note.source)).toEqual(['github', 'dockerhub']);
    expect(notes[0]!.note).toContain('release download counts have no history');
    expect(notes[1]!.note).toContain('Docker Hub keeps no history');
  });

  it('says nothing for metrics that are read back, unknown metrics or lines without a metric', () => {
    expect(historyNotes(sources, ['github_repo_stars', 'npm_package_downloads', 'no_such_metric', null])).toEqual([]);
  });
});
