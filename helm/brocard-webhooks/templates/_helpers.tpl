{{/*
Chart name, truncated to the 63 characters allowed in a label value.
*/}}
{{- define "brocard-webhooks.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the resources: <release>-<chart>, or the release name alone if it already contains the chart name.
*/}}
{{- define "brocard-webhooks.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value: name-version.
*/}}
{{- define "brocard-webhooks.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource.
*/}}
{{- define "brocard-webhooks.labels" -}}
helm.sh/chart: {{ include "brocard-webhooks.chart" . }}
{{ include "brocard-webhooks.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: brocard
{{- end }}

{{/*
Selector labels (immutable on a Deployment: never change them).
*/}}
{{- define "brocard-webhooks.selectorLabels" -}}
app.kubernetes.io/name: {{ include "brocard-webhooks.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount.
*/}}
{{- define "brocard-webhooks.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "brocard-webhooks.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Container image reference: repository@digest if a digest is given, else repository:tag (tag defaults to appVersion).
*/}}
{{- define "brocard-webhooks.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}

{{/*
Name of the Secret created by the chart from inline values (only rendered when it is needed).
*/}}
{{- define "brocard-webhooks.chartSecretName" -}}
{{- include "brocard-webhooks.fullname" . }}
{{- end }}

{{/*
Secret holding the application secrets (webhook tokens, OTP key, admin tokens).
*/}}
{{- define "brocard-webhooks.appSecretName" -}}
{{- default (include "brocard-webhooks.chartSecretName" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
Secret holding the database password.
*/}}
{{- define "brocard-webhooks.databaseSecretName" -}}
{{- default (include "brocard-webhooks.chartSecretName" .) .Values.database.existingSecret }}
{{- end }}

{{/*
"true" when the chart must create its own Secret: the application secrets or the database password are given
inline instead of through an existing Secret. Empty otherwise.
*/}}
{{- define "brocard-webhooks.createSecret" -}}
{{- if or (not .Values.secrets.existingSecret) (not .Values.database.existingSecret) -}}
true
{{- end -}}
{{- end }}

{{/*
Fails the rendering with a clear message when a required value is missing. Included by the Deployment.
*/}}
{{- define "brocard-webhooks.validate" -}}
{{- if not .Values.database.jdbcUrl }}
{{- fail "database.jdbcUrl is required (QUARKUS_DATASOURCE_JDBC_URL), e.g. jdbc:postgresql://postgres:5432/brocard" }}
{{- end }}
{{- if and (not .Values.database.username) (not .Values.database.usernameKey) }}
{{- fail "database.username (or database.usernameKey, read from the database Secret) is required" }}
{{- end }}
{{- if and .Values.database.usernameKey (not .Values.database.existingSecret) }}
{{- fail "database.usernameKey needs database.existingSecret" }}
{{- end }}
{{- if and (not .Values.database.existingSecret) (not .Values.database.password) }}
{{- fail "database.existingSecret (recommended) or database.password is required" }}
{{- end }}
{{- if not .Values.kafka.bootstrapServers }}
{{- fail "kafka.bootstrapServers is required (KAFKA_BOOTSTRAP_SERVERS)" }}
{{- end }}
{{- if not .Values.secrets.existingSecret }}
{{- if or (not .Values.secrets.webhookTokens) (and (not .Values.secrets.otpEncryptionKey) (not .Values.secrets.keyring)) }}
{{- fail "secrets.existingSecret (recommended) or secrets.webhookTokens and a key (secrets.keyring or secrets.otpEncryptionKey) are required" }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.hosts) }}
{{- fail "ingress.hosts needs at least one host name when ingress.enabled is true" }}
{{- end }}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) }}
{{- fail "ingress.tls.secretName is required when ingress.tls.enabled is true (Brocard must call an https:// URL)" }}
{{- end }}
{{- if and .Values.mailer.host (not .Values.mailer.from) }}
{{- fail "mailer.from is required when mailer.host is set (the sender address of the OTP e-mails)" }}
{{- end }}
{{- if and .Values.relay.separateDeployment.enabled (lt (int .Values.relay.separateDeployment.replicaCount) 1) }}
{{- fail "relay.separateDeployment.replicaCount must be at least 1 (no replica: no 3-D Secure code is relayed)" }}
{{- end }}
{{- end }}

{{/*
OTP relay (docs/relay.md). It runs either inside the main pods (relay.enabled, the default) or, with
relay.separateDeployment.enabled, only in a second Deployment "<fullname>-relay" of the same image; the main pods then
run without it.
*/}}

{{/*
"true" when the main (ingest) pods run the relay. Empty otherwise.
*/}}
{{- define "brocard-webhooks.relayInMainPods" -}}
{{- if and .Values.relay.enabled (not .Values.relay.separateDeployment.enabled) -}}
true
{{- end -}}
{{- end }}

{{/*
Name of the relay Deployment and of its metrics Service, PodDisruptionBudget and NetworkPolicy.
*/}}
{{- define "brocard-webhooks.relayFullname" -}}
{{- printf "%s-relay" (include "brocard-webhooks.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/*
Value of the app.kubernetes.io/name label of the relay pods: "<name>-relay".
*/}}
{{- define "brocard-webhooks.relayName" -}}
{{- printf "%s-relay" (include "brocard-webhooks.name" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/*
Selector labels of the relay pods. They must not match the main Deployment's selector (name + instance, immutable),
or the main Service would route webhooks to the relay pods and the PodDisruptionBudget would count them: hence a
name of its own, "<name>-relay".
*/}}
{{- define "brocard-webhooks.relaySelectorLabels" -}}
app.kubernetes.io/name: {{ include "brocard-webhooks.relayName" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: otp-relay
{{- end }}

{{/*
Labels of the relay's resources.
*/}}
{{- define "brocard-webhooks.relayLabels" -}}
helm.sh/chart: {{ include "brocard-webhooks.chart" . }}
{{ include "brocard-webhooks.relaySelectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: brocard
{{- end }}

{{/*
Environment of the application container (a list of EnvVar, unindented). Called with a dict:
  root   the chart context ($)
  relay  true in the pods that run the OTP relay
  relayDeployment  true in the separate relay Deployment (which does not run the outbox publisher)
Secrets come from Secrets, never from the ConfigMap. extraEnv comes last, so it can override anything.
*/}}
{{- define "brocard-webhooks.env" -}}
{{- $relay := .relay -}}
{{- $relayDeployment := .relayDeployment -}}
{{- with .root -}}
- name: BROCARD_WEBHOOK_TOKENS
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.appSecretName" . }}
      key: {{ .Values.secrets.keys.webhookTokens }}
# The keys: BROCARD_KEYS (keyring), the older single BROCARD_OTP_ENCRYPTION_KEY, or both during an upgrade. Each is
# optional here; the application refuses to start without any key.
- name: BROCARD_OTP_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.appSecretName" . }}
      key: {{ .Values.secrets.keys.otpEncryptionKey }}
      optional: true
- name: BROCARD_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.appSecretName" . }}
      key: {{ .Values.secrets.keys.keyring }}
      optional: true
- name: BROCARD_FINGERPRINT_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.appSecretName" . }}
      key: {{ .Values.secrets.keys.fingerprintKey }}
      optional: true
{{- if or .Values.secrets.existingSecret .Values.secrets.adminTokens }}
# Optional: without it the operator API (/admin) refuses every request.
- name: BROCARD_ADMIN_TOKENS
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.appSecretName" . }}
      key: {{ .Values.secrets.keys.adminTokens }}
      optional: true
{{- end }}
{{- if or .Values.secrets.existingSecret .Values.secrets.brocardApiKey }}
# Optional: without it reconciliation with Brocard's REST API is off (docs/reconciliation.md).
- name: BROCARD_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.appSecretName" . }}
      key: {{ .Values.secrets.keys.brocardApiKey }}
      optional: true
{{- end }}
{{- if .Values.database.usernameKey }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.databaseSecretName" . }}
      key: {{ .Values.database.usernameKey }}
{{- end }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "brocard-webhooks.databaseSecretName" . }}
      key: {{ .Values.database.passwordKey }}
# OTP relay: consumes the OTP topic and delivers the codes (docs/relay.md).
- name: BROCARD_RELAY_ENABLED
  value: {{ ternary "true" "false" $relay | quote }}
{{- if $relayDeployment }}
# The relay Deployment leaves publishing, and reconciliation sweeps, to the main pods.
- name: BROCARD_OUTBOX_PUBLISHER_ENABLED
  value: "false"
- name: BROCARD_RECONCILE_INTERVAL
  value: "off"
{{- end }}
{{- if $relay }}
# Optional: without it, telegram routes fail (and BrocardOtpDeliveryFailing fires).
- name: BROCARD_RELAY_TELEGRAM_BOT_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.relay.telegram.existingSecret | default (include "brocard-webhooks.appSecretName" .) }}
      key: {{ .Values.relay.telegram.key }}
      optional: true
{{- if and .Values.mailer.host .Values.mailer.existingSecret }}
- name: BROCARD_RELAY_SMTP_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.mailer.existingSecret }}
      key: {{ .Values.mailer.usernameKey }}
- name: BROCARD_RELAY_SMTP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.mailer.existingSecret }}
      key: {{ .Values.mailer.passwordKey }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Pod template (metadata and spec) shared by the main Deployment and the relay Deployment. Called with a dict:
  root   the chart context ($)
  relayDeployment  true for the separate relay Deployment
*/}}
{{- define "brocard-webhooks.podTemplate" -}}
{{- $root := .root -}}
{{- $relayDeployment := .relayDeployment -}}
{{- $relay := or $relayDeployment (eq (include "brocard-webhooks.relayInMainPods" $root) "true") -}}
{{- with $root -}}
{{- $selector := include "brocard-webhooks.selectorLabels" . -}}
{{- $labels := include "brocard-webhooks.labels" . -}}
{{- $resources := .Values.resources -}}
{{- if $relayDeployment -}}
{{- $selector = include "brocard-webhooks.relaySelectorLabels" . -}}
{{- $labels = include "brocard-webhooks.relayLabels" . -}}
{{- $resources = .Values.relay.separateDeployment.resources | default .Values.resources -}}
{{- end -}}
metadata:
  annotations:
    # Roll the pods when the settings or the chart-created Secret change. Changes to an existing Secret are not
    # seen here: restart with `kubectl rollout restart` or use a reloader (deploymentAnnotations).
    checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
    checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  labels:
    {{- $labels | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "brocard-webhooks.serviceAccountName" . }}
  automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
  containers:
    - name: {{ .Chart.Name }}
      image: {{ include "brocard-webhooks.image" . | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "brocard-webhooks.fullname" . }}
        {{- with .Values.extraEnvFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      env:
        {{- include "brocard-webhooks.env" (dict "root" . "relay" $relay "relayDeployment" $relayDeployment) | nindent 8 }}
      startupProbe:
        httpGet:
          path: /q/health/started
          port: http
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.startup.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      livenessProbe:
        httpGet:
          path: /q/health/live
          port: http
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: /q/health/ready
          port: http
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
        successThreshold: {{ .Values.probes.readiness.successThreshold }}
      {{- if and (not $relayDeployment) (gt (int .Values.lifecycle.preStopSleepSeconds) 0) }}
      lifecycle:
        # Keep serving while the endpoint removal reaches kube-proxy and the ingress controller; SIGTERM
        # (and Quarkus' graceful shutdown) only follows the hook. The relay Deployment takes no routed traffic and
        # skips it, so that its Kafka partitions move to another replica sooner.
        preStop:
          {{- if .Values.lifecycle.nativeSleepAction }}
          sleep:
            seconds: {{ int .Values.lifecycle.preStopSleepSeconds }}
          {{- else }}
          exec:
            command: ["sleep", "{{ int .Values.lifecycle.preStopSleepSeconds }}"]
          {{- end }}
      {{- end }}
      resources:
        {{- toYaml $resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- with .Values.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    # Writable scratch space; the root filesystem is read-only.
    - name: tmp
      {{- if .Values.tmpSizeLimit }}
      emptyDir:
        sizeLimit: {{ .Values.tmpSizeLimit }}
      {{- else }}
      emptyDir: {}
      {{- end }}
    {{- with .Values.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- if .Values.affinity }}
  affinity:
    {{- toYaml .Values.affinity | nindent 4 }}
  {{- else if eq .Values.podAntiAffinity "soft" }}
  affinity:
    podAntiAffinity:
      # Prefer one replica per node, so that losing a node does not take all of them.
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                {{- $selector | nindent 16 }}
  {{- else if eq .Values.podAntiAffinity "hard" }}
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- $selector | nindent 14 }}
  {{- end }}
  {{- if .Values.topologySpread.enabled }}
  topologySpreadConstraints:
    - maxSkew: {{ .Values.topologySpread.maxSkew }}
      topologyKey: {{ .Values.topologySpread.topologyKey }}
      whenUnsatisfiable: {{ .Values.topologySpread.whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- $selector | nindent 10 }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}

{{/*
Egress rules the OTP relay needs on top of networkPolicy.egress (which already has DNS, PostgreSQL and Kafka): HTTPS
to the Telegram Bot API, Slack and the cardholders' webhook endpoints, and SMTP to mailer.host.
*/}}
{{- define "brocard-webhooks.relayEgress" -}}
- ports:
    {{- range .Values.networkPolicy.relayEgress.httpsPorts }}
    - port: {{ int . }}
      protocol: TCP
    {{- end }}
  {{- with .Values.networkPolicy.relayEgress.httpsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- if .Values.mailer.host }}
- ports:
    - port: {{ int .Values.mailer.port }}
      protocol: TCP
  {{- with .Values.networkPolicy.relayEgress.smtpTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}
