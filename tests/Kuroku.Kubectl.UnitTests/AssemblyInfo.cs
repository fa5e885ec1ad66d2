namespace Kuroku.Kubectl.UnitTests;
