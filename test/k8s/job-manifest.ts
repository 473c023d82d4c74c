import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { jobManifest, k8sName } from '../../harness/k8s/job-manifest.js';
import { buildRunRequest } from '../../harness/contract/run-request.js';
import { runCli } from '../fixtures/cli/capture-io.js';

const request = buildRunRequest({ phase: 'preinstall', traceSyscalls: ['kill', 'execve'], timeoutSeconds: 30, bootedArchive: false });

t.test('names are RFC 1123 labels', async (t) => {
  t.equal(k8sName('20260101T000000-S01_Kill 9-preinstall'), '20260101t000000-s01-kill-9-preinstall');
  t.equal(k8sName('x'.repeat(80) + '-'), 'x'.repeat(63));
  t.equal(k8sName('---'), 'drdsafe');
});

t.test('a ConfigMap with the request and the script bytes, and a Job the sandbox can run in', async (t) => {
  const script = Buffer.from([0x23, 0x21, 0x2f, 0x73, 0x68, 0x0a, 0xff, 0x00]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest read back as untyped YAML, walked by path
  const docs = parseAllDocuments(jobManifest({ runId: 'r1', image: 'reg/drdsafe-sandbox:abc', request, script })).map((d) => d.toJS() as Record<string, any>);
  t.equal(docs.length, 2);
  const [cm, job] = docs;
  t.equal(cm!.kind, 'ConfigMap');
  t.same(JSON.parse(cm!.data['request.json']), request);
  t.same(Buffer.from(cm!.binaryData[request.scriptName], 'base64'), script, 'the script travels byte for byte');
  t.equal(job!.kind, 'Job');
  t.equal(job!.spec.backoffLimit, 0);
  t.equal(job!.spec.activeDeadlineSeconds, 30 + 180);
  const pod = job!.spec.template.spec;
  t.equal(pod.restartPolicy, 'Never');
  const c = pod.containers[0];
  t.equal(c.image, 'reg/drdsafe-sandbox:abc');
  t.same(c.securityContext.capabilities.add, ['SYS_ADMIN', 'SYS_PTRACE']);
  t.equal(c.securityContext.privileged, false, 'not privileged: only the capabilities strace and the jail need');
  t.same(c.securityContext.seccompProfile, { type: 'Unconfined' });
  t.same(c.securityContext.appArmorProfile, { type: 'Unconfined' });
  t.match(c.command[2], /\/opt\/drdsafe\/bin\/run-phase \/drdsafe\/in\/request.json; rc=\$\?/);
  t.match(c.command[2], /cp -a \/drdsafe\/out\/\. \/results\/r1\//);
  t.same(
    pod.volumes.map((v: { name: string }) => v.name),
    ['config', 'booted', 'inactive', 'results'],
  );
  t.same(pod.volumes[1].emptyDir, { medium: 'Memory', sizeLimit: '256Mi' });
  t.equal(pod.volumes[3].persistentVolumeClaim.claimName, 'drdsafe-results');
  t.equal(cm!.metadata.name, job!.metadata.name);
});

t.test('drdsafe k8s-job prints it for a script; errors for bad input', async (t) => {
  const dir = t.testdir({ script: '#!/sbin/sh\nkill -9 $(cat /var/run/syslog.pid)\n' });
  const out = await runCli(['k8s-job', 'script', '--phase', 'preinstall', '--registry', 'reg.example/team/', '--namespace', 'qa'], dir);
  t.equal(out.code, 0, out.stderr);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a manifest read back as untyped YAML, walked by path
  const [cm, job] = parseAllDocuments(out.stdout).map((d) => d.toJS() as Record<string, any>);
  t.equal(job!.metadata.namespace, 'qa');
  t.match(job!.spec.template.spec.containers[0].image, /^reg\.example\/team\/drdsafe-sandbox:[0-9a-f]{12}$/);
  t.match(JSON.parse(cm!.data['request.json']), { phase: 'preinstall' });
  t.equal((await runCli(['k8s-job', 'script'], dir)).code, 2, 'no --phase');
  t.match((await runCli(['k8s-job', 'missing', '--phase', 'preinstall'], dir)).stderr, /control script not found: missing/);
});
