namespace Atlas.Core.Common;

/// <summary>The rule for text people type freely (names, comments).</summary>
public static class FreeText
{
    /// <summary>Characters that make text show other than it reads: controls (NUL, BEL, ESC, newlines), the bidirectional
    /// embeddings, overrides, isolates and marks (U+202E turns "gpj.exe" into "exe.jpg"), and the line and paragraph
    /// separators. Free text people type (names, comments) may hold none of them.</summary>
    public static bool HasHiddenCharacters(string text) =>
        text.Any(c => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C' or '\u2028' or '\u2029');
}
