using System.Text.RegularExpressions;
using Atlas.Core.Notifications;
using Atlas.Functions.Notifications;
using Atlas.Testing;

namespace Atlas.Tests.Notifications;

/// <summary>Every notice the lifecycles can send has channels and words in every language Atlas speaks.</summary>
public sealed partial class NoticeCatalogueTests
{
    /// <summary>The topics in the code that makes notices: the deciders and the invitations.</summary>
    private static IReadOnlyList<string> EmittedTopics()
    {
        var root = Azurite.RepositoryRoot();
        var sources = Directory.EnumerateFiles(Path.Combine(root, "Atlas.Core"), "*Decider*.cs", SearchOption.AllDirectories)
            .Append(Path.Combine(root, "Atlas.Functions", "Bookings", "DriverInvitations.cs"));
        return sources
            .SelectMany(File.ReadLines)
            .Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal) && !line.Contains("BusinessEvents.", StringComparison.Ordinal))
            .SelectMany(line => Topic().Matches(line).Select(m => m.Groups[1].Value))
            .Distinct()
            .Order()
            .ToList();
    }

    [Fact]
    public void The_lifecycles_emit_topics_and_the_catalogue_knows_each()
    {
        var emitted = EmittedTopics();

        Assert.True(emitted.Count >= 25, string.Join(", ", emitted));
        Assert.All(emitted, topic => Assert.Contains(topic, NoticeCatalogue.Topics));
    }

    [Fact]
    public void Every_topic_has_words_in_every_language_and_a_title()
    {
        foreach (var topic in NoticeCatalogue.Topics)
        {
            var notice = new Notice("usr_1", topic, "bk_1", 1234, "rd_1");
            var texts = NoticeCatalogue.Languages.Select(language => NoticeCatalogue.Text(notice, language)).ToList();

            Assert.All(texts, text => Assert.False(string.IsNullOrWhiteSpace(text), topic));
            Assert.Equal(texts.Count, texts.Distinct().Count());
            Assert.All(NoticeCatalogue.Languages, language => Assert.False(string.IsNullOrWhiteSpace(NoticeCatalogue.Title(topic, language))));
            Assert.True(NoticeCatalogue.ChannelsOf(topic).HasFlag(Channels.Push), topic);
        }

        Assert.Equal(NoticeCatalogue.Text(new Notice("u", "ride.started", "b"), null), NoticeCatalogue.Text(new Notice("u", "ride.started", "b"), "en"));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoticeCatalogue.Text(new Notice("u", "ride.teleported", "b"), "en"));
    }

    [GeneratedRegex("\"((?:booking|bid|ride|payment|tip|payout)\\.[a-z-]+)\"")]
    private static partial Regex Topic();
}
