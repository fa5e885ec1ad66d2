{{/* The chart name, or nameOverride. */}}
{{- define "kuroku.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The base of every object name: fullnameOverride, or the release name (with the chart name unless it already contains it). */}}
{{- define "kuroku.fullname" -}}
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

{{- define "kuroku.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kuroku.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kuroku.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kuroku.labels" -}}
helm.sh/chart: {{ include "kuroku.chart" . }}
{{ include "kuroku.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kuroku
{{- end }}

{{- define "kuroku.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kuroku.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kuroku.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Names the operator is told through its environment. */}}
{{- define "kuroku.webhookServiceName" -}}{{ include "kuroku.fullname" . }}{{- end }}
{{- define "kuroku.webhookConfigurationName" -}}{{ include "kuroku.fullname" . }}-{{ .Release.Namespace }}{{- end }}
{{- define "kuroku.webhookSecretName" -}}{{ include "kuroku.fullname" . }}-webhook-tls{{- end }}
{{- define "kuroku.webhookCertificateName" -}}{{ include "kuroku.fullname" . }}-webhook{{- end }}
{{- define "kuroku.webhookIssuerName" -}}{{ include "kuroku.fullname" . }}-selfsigned{{- end }}
