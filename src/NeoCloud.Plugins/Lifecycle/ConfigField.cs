namespace NeoCloud.Plugins.Lifecycle;

/// <summary>One field of a plugin's config schema: its type, whether it is required, and its default.</summary>
public sealed record ConfigField(string Name, ConfigFieldType Type, bool Required = false, string? Default = null, string? Description = null);

/// <summary>The value types a config field can hold.</summary>
public enum ConfigFieldType
{
    Text,
    Integer,
    Number,
    Boolean,
    Duration,
}
