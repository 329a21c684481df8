using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Atlas.Functions.OpsConsole;

/// <summary>The console's built files, embedded in the assembly as <c>console/{name}</c> by the BuildConsole target
/// of Atlas.Functions.csproj: read once, each with its content type and an ETag of its bytes.</summary>
public sealed class ConsoleFiles
{
    public const string Index = "index.html";
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, ConsoleFile> _files;

    public ConsoleFiles()
    {
        var assembly = typeof(ConsoleFiles).Assembly;
        var files = new Dictionary<string, ConsoleFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            var content = bytes.ToArray();
            files[name[Prefix.Length..]] = new ConsoleFile(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public ConsoleFile? Find(string path) => _files.GetValueOrDefault(path);
}

public sealed record ConsoleFile(byte[] Content, string ContentType, string ETag);
