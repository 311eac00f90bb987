using System.Text.Json;
using AwgProxy.AmneziaWG.Tests.Vectors;

namespace AwgProxy.AmneziaWG.Tests;

/// <summary>
/// Runs every case of the vector file (AWG_VECTOR_FILE, or the shared awg-e796d47.json) against
/// the port, one theory row per case id. Run another file with
/// <c>AWG_VECTOR_FILE=/path/file.json dotnet test tests/AwgProxy.AmneziaWG.Tests -c Release</c>.
/// </summary>
public class AwgVectorTests
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in VectorFile.Current.Cases.Keys)
        {
            data.Add(id);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_MatchesUpstreamOrDocumentedRejection(string id)
    {
        var file = VectorFile.Current;
        VectorCaseRunner.Run(file.Cases[id], file.Root.GetProperty("defaultUnixTime").GetInt64());
    }

    [Fact]
    public void CaseCountsPerKind_MatchTheFileCounts()
    {
        var file = VectorFile.Current;
        var declared = file.Root.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var actual = file.Cases.Values.GroupBy(c => c.GetProperty("kind").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(declared.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [Fact]
    public void CaseIds_AreUnique()
    {
        var ids = VectorFile.Current.Root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EnvironmentVariable_SelectsTheFile_ElseTheSharedOne()
    {
        var explicitPath = Path.Combine(Path.GetTempPath(), "some-vectors.json");
        Assert.Equal(explicitPath, VectorFile.ResolvePath(explicitPath));
        var relative = Path.Combine("tests", "AwgProxy.AmneziaWG.Tests", "Vectors", "awg-extra.json");
        Assert.Equal(Path.Combine(VectorFile.FindRepositoryRoot(), relative), VectorFile.ResolvePath(relative));
        var shared = VectorFile.ResolvePath(null);
        Assert.EndsWith(Path.Combine("shared", "awg-vectors", "awg-e796d47.json"), shared, StringComparison.Ordinal);
        Assert.True(File.Exists(shared), shared);
    }

    /// <summary>
    /// A second file of the same format, made by an independent Python implementation of the
    /// vectors' README (Vectors/make_extra_vectors.py), passes through the same loader and runner.
    /// </summary>
    [Fact]
    public void ExtraVectorFile_AllCasesPass()
    {
        var file = VectorFile.Load(Path.Combine(AppContext.BaseDirectory, "Vectors", "awg-extra.json"));
        var defaultUnixTime = file.Root.GetProperty("defaultUnixTime").GetInt64();
        Assert.NotEmpty(file.Cases);
        foreach (var (id, c) in file.Cases)
        {
            try
            {
                VectorCaseRunner.Run(c, defaultUnixTime);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"{id}: {ex.Message}");
            }
        }
    }

    /// <summary>A subset of the shared cases copied into a temporary file loads and passes too.</summary>
    [Fact]
    public void SubsetOfSharedCasesInTemporaryFile_Passes()
    {
        var shared = VectorFile.Load(VectorFile.ResolvePath(null));
        var subset = shared.Cases.Values.Where((_, i) => i % 7 == 0).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"awg-subset-{Guid.NewGuid():N}.json");
        try
        {
            using (var stream = File.Create(path))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                foreach (var property in shared.Root.EnumerateObject().Where(p => p.Name is not ("counts" or "cases")))
                {
                    property.WriteTo(writer);
                }

                writer.WriteStartObject("counts");
                foreach (var group in subset.GroupBy(c => c.GetProperty("kind").GetString()!))
                {
                    writer.WriteNumber(group.Key, group.Count());
                }

                writer.WriteEndObject();
                writer.WriteStartArray("cases");
                subset.ForEach(c => c.WriteTo(writer));
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            var file = VectorFile.Load(VectorFile.ResolvePath(path));
            Assert.Equal(subset.Count, file.Cases.Count);
            foreach (var c in file.Cases.Values)
            {
                VectorCaseRunner.Run(c, file.Root.GetProperty("defaultUnixTime").GetInt64());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
