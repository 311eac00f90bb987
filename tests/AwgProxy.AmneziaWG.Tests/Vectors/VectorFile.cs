using System.Text.Json;

namespace AwgProxy.AmneziaWG.Tests.Vectors;

/// <summary>
/// Loads an "awg-obf-vectors/1" file: the one named by the environment variable AWG_VECTOR_FILE
/// when it is set (a relative path is tried against the working directory, then against the
/// repository root), else ../shared/awg-vectors/awg-e796d47.json beside the repository root (the
/// directory holding AwgProxy.slnx, found by walking up from the test binaries).
/// </summary>
public sealed class VectorFile
{
    public const string EnvironmentVariable = "AWG_VECTOR_FILE";

    private static readonly Lazy<VectorFile> s_current = new(() => Load(ResolvePath(Environment.GetEnvironmentVariable(EnvironmentVariable))));

    private VectorFile(string path, JsonDocument document)
    {
        Path = path;
        Root = document.RootElement;
        Cases = Root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!, c => c, StringComparer.Ordinal);
    }

    /// <summary>The file the current test run checks.</summary>
    public static VectorFile Current => s_current.Value;

    public string Path { get; }

    public JsonElement Root { get; }

    /// <summary>Cases by id, in file order.</summary>
    public IReadOnlyDictionary<string, JsonElement> Cases { get; }

    public static string ResolvePath(string? environmentValue)
    {
        if (!string.IsNullOrEmpty(environmentValue))
        {
            var fromWorkingDirectory = System.IO.Path.GetFullPath(environmentValue);
            return System.IO.Path.IsPathRooted(environmentValue) || File.Exists(fromWorkingDirectory)
                ? fromWorkingDirectory
                : System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepositoryRoot(), environmentValue));
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(FindRepositoryRoot(), "..", "shared", "awg-vectors", "awg-e796d47.json"));
    }

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AwgProxy.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AwgProxy.slnx above {AppContext.BaseDirectory}; set {EnvironmentVariable}.");
    }

    public static VectorFile Load(string path)
    {
        var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var format = document.RootElement.GetProperty("format").GetString();
        if (format != "awg-obf-vectors/1")
        {
            throw new InvalidDataException($"{path}: format {format}, expected awg-obf-vectors/1");
        }

        return new VectorFile(path, document);
    }
}
