using System.Text.Encodings.Web;
using System.Text.Json;

namespace Atlas.Demo;

/// <summary>
/// Sessions the demo keeps between runs, in a file (<c>./atlas demo</c> keeps it in the git-ignored .azurite/, beside
/// the storage the sessions live in). A phone may start 5 sign-ins an hour, and the platform admin is one phone that
/// every run signs in: with its session kept, a run refreshes it instead and spends no code. A refresh token is
/// single-use, so the new one is written as soon as it is given; only when there is none, or it no longer refreshes
/// (storage wiped, session ended or expired), does the demo sign in by code again, and it says which.
/// </summary>
public sealed class SessionFile(string path)
{
    // A file a person may open: phones as they are written (+44…), one session a line.
    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Path => path;

    /// <summary>The session of <paramref name="phone"/> at <paramref name="api"/>, and how it was had.</summary>
    public async Task<(Person Person, string How)> SignInAsync(AtlasApi api, string phone)
    {
        var key = $"{api.BaseAddress} {phone}";
        var sessions = Read();
        string how;
        if (sessions.TryGetValue(key, out var refreshToken))
        {
            try
            {
                var refreshed = await Person.RefreshAsync(api, phone, refreshToken);
                Write(sessions, key, refreshed.RefreshToken);
                return (refreshed, $"with the session kept in {path}: no sign-in code spent");
            }
            catch (DemoFailure e) when (e.Status is 400 or 401)
            {
                how = $"by a code sent by SMS, as the session kept in {path} no longer refreshes ({e.Message}); the new one is kept";
            }
        }
        else
        {
            how = $"by a code sent by SMS; its session is kept in {path}, so the next run spends no code";
        }

        var person = await Person.SignInAsync(api, phone);
        Write(sessions, key, person.RefreshToken);
        return (person, how);
    }

    private Dictionary<string, string> Read()
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return [];
        }
    }

    private void Write(Dictionary<string, string> sessions, string key, string refreshToken)
    {
        sessions[key] = refreshToken;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);

        // Whole or not at all: a run stopped mid-write must not lose the one token that still refreshes.
        var written = path + ".new";
        File.WriteAllText(written, JsonSerializer.Serialize(sessions, Readable));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(written, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(written, path, overwrite: true);
    }
}
