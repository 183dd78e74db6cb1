namespace Relay.Protocol.Tests.Fuzzing;

/// <summary>
/// A test that checks a property over many generated cases (<see cref="Fuzz.Check"/>). A fact
/// like any other in the default run; the long fuzz mode shares its time among these.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PropertyAttribute : FactAttribute;

/// <summary>
/// Property classes run one after another, so that the fuzz mode's time (shared equally among
/// the properties) adds up to the wall-clock time it was given.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PropertiesCollection
{
    public const string Name = "Properties";
}
