namespace Kuroku.Operator.IntegrationTests;
