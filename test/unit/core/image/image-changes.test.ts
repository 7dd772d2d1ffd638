import { describe, expect, it } from 'vitest';
import { applyConfigChanges } from '../../../../main/core/image/image-changes.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';

describe('applyConfigChanges', () => {
  it('applies the Dockerfile instructions podman import accepts, in order', () => {
    const config = applyConfigChanges({ Env: ['PATH=/bin'] }, [
      'CMD ["/bin/sh"]',
      'entrypoint /entry.sh --flag',
      'ENV PATH=/usr/bin:/bin A="b c"',
      'ENV LEGACY value with spaces',
      'EXPOSE 80 53/udp',
      'LABEL a=1 b="two words"',
      'VOLUME ["/data", "/logs"]',
      'USER 1000:1000',
      'WORKDIR /srv',
      'STOPSIGNAL SIGINT',
      'ONBUILD RUN true',
    ]);
    expect(config).toEqual({
      Cmd: ['/bin/sh'],
      Entrypoint: ['/bin/sh', '-c', '/entry.sh --flag'],
      Env: ['PATH=/usr/bin:/bin', 'A=b c', 'LEGACY=value with spaces'],
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Labels: { a: '1', b: 'two words' },
      Volumes: { '/data': {}, '/logs': {} },
      User: '1000:1000',
      WorkingDir: '/srv',
      StopSignal: 'SIGINT',
      OnBuild: ['RUN true'],
    });
  });

  it('refuses what podman refuses', async () => {
    for (const change of ['RUN echo', 'COPY a b', 'EXPOSE http', 'WORKDIR relative', 'VOLUME data', 'ENV', 'USER', '']) {
      expect(await rejectionCode(Promise.resolve().then(() => applyConfigChanges({}, [change]))), change).toBe('ErrInvalidArg');
    }
  });
});
