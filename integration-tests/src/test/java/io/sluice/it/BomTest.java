package io.sluice.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The BOM manages every published Sluice artifact, at the build's version, and nothing else. */
class BomTest {
  /** Modules that are built and tested here but not published for users. */
  private static final Set<String> UNPUBLISHED = Set.of("sluice-bom", "integration-tests", "examples", "benchmarks");

  private static Document parse(Path pom) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(pom.toFile());
  }

  private static String child(Element e, String name) {
    NodeList list = e.getElementsByTagName(name);
    return list.getLength() == 0 ? null : list.item(0).getTextContent().trim();
  }

  @Test
  void theBomListsEveryPublishedModule() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Document parent = parse(root.resolve("pom.xml"));
    Set<String> published = new TreeSet<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().trim();
      Document pom = parse(root.resolve(module).resolve("pom.xml"));
      String packaging = child(pom.getDocumentElement(), "packaging");
      if (!UNPUBLISHED.contains(module) && (packaging == null || packaging.equals("jar"))) {
        published.add(module);
      }
    }
    assertTrue(published.contains("loader-api") && published.contains("loader-micrometer"), published.toString());

    Document bom = parse(root.resolve("sluice-bom/pom.xml"));
    Element bomRoot = bom.getDocumentElement();
    assertEquals(0, bomRoot.getElementsByTagName("parent").getLength(),
        "no parent: the BOM must not hand the build's third-party versions to its users");
    String version = child(parent.getDocumentElement(), "version");
    assertTrue(Files.readString(root.resolve("sluice-bom/pom.xml")).contains("<version>" + version + "</version>"),
        "the BOM's version is the build's, " + version);
    Set<String> managed = new TreeSet<>();
    List<String> foreign = new ArrayList<>();
    NodeList deps = bom.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      if (!"io.sluice".equals(child(d, "groupId"))) {
        foreign.add(child(d, "groupId") + ":" + child(d, "artifactId"));
      }
      managed.add(child(d, "artifactId"));
    }
    assertEquals(List.of(), foreign, "the BOM manages Sluice artifacts only");
    assertEquals(published, managed, "add every new published module to sluice-bom/pom.xml");
  }
}
