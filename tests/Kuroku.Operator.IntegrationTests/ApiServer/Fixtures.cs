namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>A generic CRD with the features a real one uses: schema with defaults, status and scale subresources, printer columns.</summary>
public static class Fixtures
{
    public const string Group = "example.dev";
    public const string Version = "v1alpha1";
    public const string Plural = "widgets";

    public const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.dev
        spec:
          group: example.dev
          names:
            kind: Widget
            listKind: WidgetList
            plural: widgets
            singular: widget
            shortNames: [wd]
            categories: [examples]
          scope: Namespaced
          versions:
          - name: v1alpha1
            served: true
            storage: true
            subresources:
              status: {}
              scale:
                specReplicasPath: .spec.replicas
                statusReplicasPath: .status.replicas
                labelSelectorPath: .status.selector
            additionalPrinterColumns:
            - name: Replicas
              type: integer
              jsonPath: .spec.replicas
            - name: Ready
              type: string
              jsonPath: .status.conditions[?(@.type=="Ready")].status
            - name: Age
              type: date
              jsonPath: .metadata.creationTimestamp
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [image]
                    properties:
                      image: {type: string}
                      replicas: {type: integer, default: 1}
                      size: {type: string, default: small}
                  status:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
        """;

    public const string Widget = """
        apiVersion: example.dev/v1alpha1
        kind: Widget
        metadata:
          name: w1
          namespace: default
        spec:
          image: nginx:1.27
        """;

    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: default
          labels: {app: web}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                ports:
                - containerPort: 80
                env:
                - {name: A, value: "1"}
        """;
}
