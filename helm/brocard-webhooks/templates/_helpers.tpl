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
{{- if or (not .Values.secrets.webhookTokens) (not .Values.secrets.otpEncryptionKey) }}
{{- fail "secrets.existingSecret (recommended) or both secrets.webhookTokens and secrets.otpEncryptionKey are required" }}
{{- end }}
{{- end }}
{{- if and .Values.ingress.enabled (not .Values.ingress.hosts) }}
{{- fail "ingress.hosts needs at least one host name when ingress.enabled is true" }}
{{- end }}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) }}
{{- fail "ingress.tls.secretName is required when ingress.tls.enabled is true (Brocard must call an https:// URL)" }}
{{- end }}
{{- end }}
