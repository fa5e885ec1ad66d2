namespace Kuroku.Operator.UnitTests;
