// --change as podman parses and applies it (DecodeChanges + libimage ImageConfigFromChanges + Commit).
import { describe, expect, it } from 'vitest';
import { applyChanges, applyConfigChanges, decodeChanges, imageConfigFromChanges } from '../../../../main/core/image/config-changes.ts';
import { hasCode } from '../../../../shared/errors.ts';
import { rejectionCode } from '../../../helpers/error-codes.ts';

const parse = (...changes: string[]) => imageConfigFromChanges(decodeChanges(changes));

describe('decodeChanges', () => {
  it('turns the documented KEY=VALUE form into KEY VALUE, only when = comes before any space', () => {
    expect(decodeChanges(['CMD=/bin/sh -c x', 'ENV A=b', ' LABEL a=b \nUSER=app', ''])).toEqual(['CMD /bin/sh -c x', 'ENV A=b', 'LABEL a=b', 'USER app']);
  });
});

describe('imageConfigFromChanges', () => {
  it('parses CMD and ENTRYPOINT as JSON arrays or shell command lines', () => {
    expect(parse('CMD ["echo", "hi"]').cmd).toEqual(['echo', 'hi']);
    expect(parse('CMD=cat /x').cmd).toEqual(['/bin/sh', '-c', 'cat /x']);
    expect(parse('ENTRYPOINT /run.sh').entrypoint).toEqual(['/bin/sh', '-c', '/run.sh']);
    expect(parse('ENTRYPOINT []').entrypoint).toEqual([]);
  });

  it('parses ENV, LABEL (quotes stripped), EXPOSE, VOLUME, USER, STOPSIGNAL and chained WORKDIRs', () => {
    const c = parse('ENV "KEY"="a value"', 'ENV EMPTY', 'LABEL "org.x"=y', 'EXPOSE 8080', 'EXPOSE 53/UDP', 'VOLUME /a /b', 'VOLUME ["/c"]', 'USER 1000:1000', 'STOPSIGNAL SIGINT', 'WORKDIR /app', 'WORKDIR sub', 'ONBUILD RUN x');
    expect(c.env).toEqual(['KEY=a value', 'EMPTY=']);
    expect(c.labels).toEqual({ 'org.x': 'y' });
    expect(c.exposedPorts).toEqual(['8080/tcp', '53/udp']);
    expect(c.volumes).toEqual(['/a', '/b', '/c']);
    expect(c.user).toBe('1000:1000');
    expect(c.stopSignal).toBe('2');
    expect(c.workingDir).toBe('/app/sub');
    expect(c.onBuild).toEqual(['RUN x']);
  });

  it('refuses what podman refuses, naming the change', () => {
    for (const bad of ['FROM busybox', 'EXPOSE 70000', 'EXPOSE 80/sctp', 'EXPOSE x', 'LABEL novalue', 'USER ', 'STOPSIGNAL SIGNOPE', 'WORKDIR ', 'nospaceorequals']) {
      let error: unknown;
      try {
        parse(bad);
      } catch (e) {
        error = e;
      }
      expect(hasCode(error, 'ErrInvalidArg'), bad).toBe(true);
    }
  });
});

describe('applyConfigChanges', () => {
  it('replaces USER, CMD, ENTRYPOINT, WORKDIR; replaces an ENV key; adds ports, volumes and labels', () => {
    const before = { Env: ['PATH=/bin', 'A=old'], Cmd: ['sh'], Labels: { keep: '1' }, ExposedPorts: { '22/tcp': {} }, User: 'root' };
    const after = applyConfigChanges(before, parse('ENV A=new', 'ENV B=2', 'CMD ["x"]', 'LABEL add=2', 'EXPOSE 80', 'USER app', 'VOLUME /data'));
    expect(after).toMatchObject({ Env: ['PATH=/bin', 'A=new', 'B=2'], Cmd: ['x'], Labels: { keep: '1', add: '2' }, ExposedPorts: { '22/tcp': {}, '80/tcp': {} }, User: 'app', Volumes: { '/data': {} } });
    expect(before.Env).toEqual(['PATH=/bin', 'A=old']);
  });
});

describe('applyChanges (commit and import)', () => {
  it('applies the Dockerfile instructions podman import accepts, in order', () => {
    const config = applyChanges({ Env: ['PATH=/bin'] }, [
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
      // As libimage: the signal's number.
      StopSignal: '2',
      OnBuild: ['RUN true'],
    });
  });

  it('refuses what podman refuses', async () => {
    for (const change of ['RUN echo', 'COPY a b', 'EXPOSE http', 'WORKDIR relative', 'VOLUME data', 'ENV', 'USER', '']) {
      expect(await rejectionCode(Promise.resolve().then(() => applyChanges({}, [change]))), change).toBe('ErrInvalidArg');
    }
  });
});
