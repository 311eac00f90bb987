namespace AwgProxy.Cli.Configuration;

/// <summary>
/// Marks a config property whose value is never printed: problems name the key and show the value
/// as <see cref="Redacted"/>. On a dictionary property it covers the values (e.g. passwords by user
/// name); the keys stay visible.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class SecretAttribute : Attribute
{
    /// <summary>What is shown instead of a secret value.</summary>
    public const string Redacted = "<redacted>";
}
