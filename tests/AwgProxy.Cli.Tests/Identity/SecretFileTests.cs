using AwgProxy.Cli.Identity;

namespace AwgProxy.Cli.Tests.Identity;

public class SecretFileTests
{
    [Fact]
    public void WriteAllText_CreatesAnOwnerOnlyFile()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "secret.key");

        SecretFile.WriteAllText(path, "key\n");

        Assert.Equal("key\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void WriteAllText_NeverOverwrites()
    {
        using var temp = new TempDirectory();
        var path = temp.File("existing.key", "old");

        Assert.Throws<IOException>(() => SecretFile.WriteAllText(path, "new"));
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void CreateDirectory_IsOwnerOnly()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "keys");

        SecretFile.CreateDirectory(path);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(SecretFile.DirectoryMode, File.GetUnixFileMode(path));
        }
    }
}
