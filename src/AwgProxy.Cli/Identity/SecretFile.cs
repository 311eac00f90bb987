namespace AwgProxy.Cli.Identity;

/// <summary>
/// Writes files that hold secrets (private keys, configs with passwords): created new, readable and
/// writable by the owner only (mode 0600 on Unix, set at creation so there is no window in which the
/// file is readable by others). An existing file is never overwritten.
/// </summary>
public static class SecretFile
{
    /// <summary>The mode of files this class creates on Unix.</summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The mode of directories <see cref="CreateDirectory"/> creates on Unix.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (it must not exist) with <paramref name="contents"/> in UTF-8.</summary>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public static void WriteAllText(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(contents);
    }

    /// <summary>Creates a directory readable only by its owner (0700 on Unix); an existing one is kept as it is.</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, DirectoryMode);
}
