/**
 * A Kubernetes Job that runs one control script as `drdsafe run` does, for
 * running drdsafe at scale on a cluster (docs/scale.md): the sandbox image
 * (pushed to a registry the cluster pulls from) runs `run-phase` on the
 * request and script of a ConfigMap, with the capabilities, seccomp and
 * AppArmor settings the sandbox container has under Docker
 * (sandbox/sandbox-spec.ts), memory-backed emptyDirs for the two trees, and
 * copies `/drdsafe/out` to a results volume under the run's id; the run
 * directories are collected from that volume afterwards and judged with
 * `drdsafe analyze`. Pure: the caller reads the files and prints the YAML.
 */
import { stringify } from 'yaml';
import type { RunRequest } from '../contract/run-request.js';
import { DEFAULT_LIMITS } from '../sandbox/sandbox-spec.js';

export const RUN_PHASE = '/opt/drdsafe/bin/run-phase';

export interface JobManifestInput {
  /** The run's id: Job and ConfigMap names, and the folder under the results volume. */
  readonly runId: string;
  /** The sandbox image as the cluster pulls it (`registry/drdsafe-sandbox:<hash>`). */
  readonly image: string;
  readonly request: RunRequest;
  /** The control script's bytes. */
  readonly script: Buffer;
  /** Default: `drdsafe`. */
  readonly namespace?: string;
  /** The PersistentVolumeClaim the run directories go to. Default: `drdsafe-results`. */
  readonly resultsClaim?: string;
}

/** A Kubernetes name (RFC 1123 label, at most 63 characters) made from any text. */
export function k8sName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name === '' ? 'drdsafe' : name;
}

/** The ConfigMap and the Job, as one YAML stream (`kubectl apply -f -`). */
export function jobManifest(input: JobManifestInput): string {
  const name = k8sName(`drdsafe-${input.runId}`);
  const namespace = input.namespace ?? 'drdsafe';
  const labels = { 'app.kubernetes.io/name': 'drdsafe', 'drdsafe.run': k8sName(input.runId) };
  const tree = `${Math.floor(DEFAULT_LIMITS.treeBytes / (1024 * 1024))}Mi`;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels },
    data: { 'request.json': JSON.stringify(input.request, null, 2) + '\n' },
    // Binary-safe: a control script may be any bytes.
    binaryData: { [input.request.scriptName]: input.script.toString('base64') },
  };
  // run-phase wants /drdsafe/in writable and the script executable: copy the ConfigMap's files there first.
  const command = [
    'set -u',
    'mkdir -p /drdsafe/in',
    'cp /drdsafe/config/* /drdsafe/in/',
    `chmod 755 /drdsafe/in/${input.request.scriptName}`,
    `${RUN_PHASE} /drdsafe/in/request.json; rc=$?`,
    `mkdir -p /results/${k8sName(input.runId)} && cp -a /drdsafe/out/. /results/${k8sName(input.runId)}/`,
    'exit $rc',
  ].join('\n');
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, labels },
    spec: {
      // A sandbox failure is evidence to read, not something to run again blindly.
      backoffLimit: 0,
      activeDeadlineSeconds: input.request.timeoutSeconds + 180,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          containers: [
            {
              name: 'sandbox',
              image: input.image,
              command: ['/bin/sh', '-c', command],
              securityContext: {
                runAsUser: 0,
                privileged: false,
                allowPrivilegeEscalation: true,
                // strace needs ptrace; the jail needs mount, chroot and new PID namespaces.
                capabilities: { add: ['SYS_ADMIN', 'SYS_PTRACE'] },
                // strace --seccomp-bpf installs its own filter; AppArmor's default profile forbids mount.
                seccompProfile: { type: 'Unconfined' },
                appArmorProfile: { type: 'Unconfined' },
              },
              resources: {
                requests: { cpu: '1', memory: '1Gi' },
                limits: { cpu: '1', memory: `${Math.floor(DEFAULT_LIMITS.memoryBytes / (1024 * 1024))}Mi` },
              },
              volumeMounts: [
                { name: 'config', mountPath: '/drdsafe/config', readOnly: true },
                { name: 'booted', mountPath: '/images/booted' },
                { name: 'inactive', mountPath: '/images/inactive' },
                { name: 'results', mountPath: '/results' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name } },
            { name: 'booted', emptyDir: { medium: 'Memory', sizeLimit: tree } },
            { name: 'inactive', emptyDir: { medium: 'Memory', sizeLimit: tree } },
            { name: 'results', persistentVolumeClaim: { claimName: input.resultsClaim ?? 'drdsafe-results' } },
          ],
        },
      },
    },
  };
  return `${stringify(configMap)}---\n${stringify(job)}`;
}
