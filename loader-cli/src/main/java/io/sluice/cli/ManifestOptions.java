package io.sluice.cli;

import io.sluice.loader.manifest.ManifestFormat;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How to read a manifest: its format, label map, prefix, channel and attribute names. */
final class ManifestOptions {
  @Option(names = "--format", paramLabel = "F", converter = FormatConverter.class,
      description = "manifest, augmented, csv or keys (default: detected from the content)")
  ManifestFormat format;

  @Option(names = "--labels", paramLabel = "FILE",
      description = "the label map (labels.tsv) to label against; default: the classes found, sorted")
  Path labels;

  @Option(names = "--prefix", paramLabel = "P", description = "the prefix URIs sit under and class folders are "
      + "below (default: the longest directory all URIs share; a ManifestFile names its own)")
  String prefix;

  @Option(names = "--channel", paramLabel = "NAME", description = "the channel of entries whose file names none "
      + "(default: from the file name, train.manifest is train)")
  String channel;

  @Option(names = "--source-attribute", paramLabel = "A",
      description = "an augmented manifest's source attribute (default source-ref)")
  String sourceAttribute;

  @Option(names = "--label-attribute", paramLabel = "A",
      description = "an augmented manifest's label attribute (default class)")
  String labelAttribute;

  @Option(names = "--unlabelled", description = "read an augmented manifest whose lines carry no single class "
      + "(Ground Truth bounding-box or segmentation output): every entry unlabelled; instead of --label-attribute")
  boolean unlabelled;

  @Option(names = "--no-class-folders", description = "leave ManifestFile and key-list entries unlabelled")
  boolean noClassFolders;

  /** Converts a format id, naming the ids there are when it is none of them. */
  static final class FormatConverter implements ITypeConverter<ManifestFormat> {
    @Override
    public ManifestFormat convert(String value) {
      try {
        return ManifestFormat.ofId(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
