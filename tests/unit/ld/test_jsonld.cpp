// JSON-LD 1.1 to RDF: hand-written documents with the N-Quads the specification gives them
// (canonicalised, so blank node labels do not matter), the shipped contexts, and the errors.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "dskill/error.hpp"
#include "dskill/ld/ld.hpp"
#include "test_support.hpp"

namespace {
using namespace dskill;

std::string canon(std::string_view doc) { return ld::canonical_nquads(doc); }

// The canonical form of hand-written N-Quads, to compare with.
std::string canon_nq(std::string_view nq) {
  const auto quads = ld::parse_nquads(nq);
  return ld::canonicalize(quads).nquads;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* xsd = "http://www.w3.org/2001/XMLSchema#";
}  // namespace

TEST_CASE("ld jsonld: @vocab, keyword aliases, compact IRIs, @type @id / @vocab") {
  const std::string doc = R"({"@context": {"@vocab": "http://e/v#", "ex": "http://e/x#", "id": "@id", "type": "@type",
      "link": {"@id": "ex:link", "@type": "@id"}, "kind": {"@id": "ex:kind", "@type": "@vocab"}, "Cat": "ex:Cat"},
    "id": "http://e/s", "type": ["Cat", "ex:Animal"], "name": "Tom", "ex:age": 3, "link": "http://e/o", "kind": "Cat"})";
  CHECK(canon(doc) == canon_nq(
      "<http://e/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/x#Cat> .\n"
      "<http://e/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/x#Animal> .\n"
      "<http://e/s> <http://e/v#name> \"Tom\" .\n"
      "<http://e/s> <http://e/x#age> \"3\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
      "<http://e/s> <http://e/x#link> <http://e/o> .\n"
      "<http://e/s> <http://e/x#kind> <http://e/x#Cat> .\n"));
}

TEST_CASE("ld jsonld: native values: integers, doubles in canonical form, booleans, typed strings") {
  const std::string doc = R"({"@context": {"@vocab": "http://e/v#", "d": {"@id": "http://e/v#d", "@type": "http://www.w3.org/2001/XMLSchema#double"}},
    "@id": "http://e/s", "n": [5, -12, 1.1, 2.0, 1e21, 0.001], "b": true, "d": [7, "2.5"], "t": {"@value": "x", "@type": "http://e/T"}})";
  const std::string i = std::string("^^<") + xsd + "integer>", d = std::string("^^<") + xsd + "double>";
  CHECK(canon(doc) == canon_nq("<http://e/s> <http://e/v#n> \"5\"" + i + " .\n<http://e/s> <http://e/v#n> \"-12\"" + i +
                               " .\n<http://e/s> <http://e/v#n> \"1.1E0\"" + d + " .\n<http://e/s> <http://e/v#n> \"2\"" + i +
                               " .\n<http://e/s> <http://e/v#n> \"1.0E21\"" + d + " .\n<http://e/s> <http://e/v#n> \"1.0E-3\"" + d +
                               " .\n<http://e/s> <http://e/v#b> \"true\"^^<" + xsd + "boolean> .\n" +
                               "<http://e/s> <http://e/v#d> \"7.0E0\"" + d + " .\n<http://e/s> <http://e/v#d> \"2.5E0\"" + d +
                               " .\n<http://e/s> <http://e/v#t> \"x\"^^<http://e/T> .\n"));
}

TEST_CASE("ld jsonld: @json literals are JCS-canonical rdf:JSON") {
  const std::string doc = R"({"@context": {"@version": 1.1, "j": {"@id": "http://e/j", "@type": "@json"}},
    "@id": "http://e/s", "j": {"b": [1, 2.50, "\u00e9"], "a": null, "c": {"y": true, "x": 1e21}}})";
  CHECK(canon(doc) == "<http://e/s> <http://e/j> \"{\\\"a\\\":null,\\\"b\\\":[1,2.5,\\\"\xC3\xA9\\\"],\\\"c\\\":{\\\"x\\\":1e+21,\\\"y\\\":true}}\""
                      "^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n");
}

TEST_CASE("ld jsonld: lists, sets, the empty list") {
  const std::string doc = R"({"@context": {"@vocab": "http://e/v#", "l": {"@id": "http://e/v#l", "@container": "@list"}},
    "@id": "http://e/s", "l": ["a", "b"], "e": {"@list": []}, "s": {"@set": ["x", "x"]}})";
  CHECK(canon(doc) == canon_nq(
      "<http://e/s> <http://e/v#l> _:l1 .\n"
      "_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"a\" .\n"
      "_:l1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:l2 .\n"
      "_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"b\" .\n"
      "_:l2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n"
      "<http://e/s> <http://e/v#e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n"
      "<http://e/s> <http://e/v#s> \"x\" .\n"));
}

TEST_CASE("ld jsonld: languages: default, term, value objects, language maps (lower-cased)") {
  const std::string doc = R"({"@context": {"@vocab": "http://e/v#", "@language": "EN",
      "vi": {"@id": "http://e/v#vi", "@language": "vi"}, "none": {"@id": "http://e/v#none", "@language": null},
      "names": {"@id": "http://e/v#names", "@container": "@language"}},
    "@id": "http://e/s", "a": "hello", "vi": "xin chào", "none": "plain", "v": {"@value": "x", "@language": "fr-CA"},
    "names": {"de": "Hallo", "@none": "?"}})";
  CHECK(canon(doc) == canon_nq(
      "<http://e/s> <http://e/v#a> \"hello\"@en .\n"
      "<http://e/s> <http://e/v#vi> \"xin ch\xC3\xA0o\"@vi .\n"
      "<http://e/s> <http://e/v#none> \"plain\" .\n"
      "<http://e/s> <http://e/v#v> \"x\"@fr-ca .\n"
      "<http://e/s> <http://e/v#names> \"Hallo\"@de .\n"
      "<http://e/s> <http://e/v#names> \"?\" .\n"));  // @none: no language, not even the default
}

TEST_CASE("ld jsonld: @graph containers, named graphs, @reverse, @index/@id/@type maps") {
  const std::string doc = R"({"@context": {"@vocab": "http://e/v#", "g": {"@id": "http://e/v#g", "@container": "@graph"},
      "parent": {"@reverse": "http://e/v#child"}, "byId": {"@id": "http://e/v#byId", "@container": "@id"},
      "byType": {"@id": "http://e/v#byType", "@container": "@type"}, "ix": {"@id": "http://e/v#ix", "@container": "@index"}},
    "@id": "http://e/s", "g": {"@id": "http://e/in", "p": "q"}, "parent": {"@id": "http://e/p"},
    "byId": {"http://e/k": {"p": "1"}}, "byType": {"http://e/T": {"@id": "http://e/t"}}, "ix": {"key": "v"}})";
  CHECK(canon(doc) == canon_nq(
      "<http://e/s> <http://e/v#g> _:g .\n"
      "<http://e/in> <http://e/v#p> \"q\" _:g .\n"
      "<http://e/p> <http://e/v#child> <http://e/s> .\n"
      "<http://e/s> <http://e/v#byId> <http://e/k> .\n<http://e/k> <http://e/v#p> \"1\" .\n"
      "<http://e/s> <http://e/v#byType> <http://e/t> .\n"
      "<http://e/t> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/T> .\n"
      "<http://e/s> <http://e/v#ix> \"v\" .\n"));
}

TEST_CASE("ld jsonld: type-scoped contexts do not propagate, property-scoped ones do, @protected") {
  const std::string doc = R"({"@context": {"@version": 1.1, "@vocab": "http://e/v#",
      "T": {"@id": "http://e/T", "@context": {"only": "http://e/only"}},
      "p": {"@id": "http://e/p", "@context": {"deep": "http://e/deep"}}},
    "@id": "http://e/s", "@type": "T", "only": "yes", "x": {"only": "vocab again"}, "p": {"q": {"deep": "inherited"}}})";
  const std::string out = canon(doc);
  CHECK(out.find("<http://e/s> <http://e/only> \"yes\" .") != std::string::npos);
  CHECK(out.find("<http://e/v#only> \"vocab again\"") != std::string::npos);
  CHECK(out.find("<http://e/deep> \"inherited\"") != std::string::npos);
  // Redefining a protected term of VC 2.0 differently is refused; identically it is allowed.
  CHECK_THROWS_WITH_AS(canon(R"({"@context": ["https://www.w3.org/ns/credentials/v2", {"name": "http://e/other"}],
      "@id": "http://e/s", "name": "x"})"), doctest::Contains("protected term 'name'"), parse_error);
  CHECK_NOTHROW(canon(R"({"@context": ["https://www.w3.org/ns/credentials/v2", {"name": {"@id": "https://schema.org/name"}}],
      "@id": "http://e/s", "name": "x"})"));
}

TEST_CASE("ld jsonld: @base resolves relative IRIs, without a base they are refused") {
  CHECK(canon(R"({"@context": {"@base": "http://e/a/b/", "@vocab": "http://e/v#", "r": {"@id": "http://e/v#r", "@type": "@id"}},
      "@id": "../c", "r": "d?x#f"})") == "<http://e/a/c> <http://e/v#r> <http://e/a/b/d?x#f> .\n");
  CHECK_THROWS_WITH_AS(canon(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "rel", "p": 1})"),
                       doctest::Contains("relative @id 'rel'"), invalid_argument);
}

TEST_CASE("ld jsonld: safe mode refuses what would be dropped") {
  auto refused = [](std::string_view doc, std::string_view why) {
    CAPTURE(doc);
    CHECK_THROWS_WITH_AS(canon(doc), doctest::Contains(std::string(why).c_str()), invalid_argument);
  };
  refused(R"({"@context": {"a": "http://e/a"}, "@id": "http://e/s", "b": 1})", "property 'b' is not defined");
  refused(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "http://e/s", "@type": "Rel", "p": {"@value": null}})", "null @value");
  refused(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "http://e/s"})", "only @id");
  refused(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "http://e/s", "p": {"@value": "x", "@language": "not a tag"}})", "BCP 47");
  refused(R"("just a string")", "free-floating");
}

TEST_CASE("ld jsonld: unsupported features and malformed input are clear errors") {
  CHECK_THROWS_WITH_AS(canon(R"({"@context": "https://example.org/ctx.jsonld", "@id": "http://e/s"})"),
                       doctest::Contains("'https://example.org/ctx.jsonld' is not a shipped context; dskill does no network"), error);
  try {
    (void)canon(R"({"@context": "https://example.org/ctx.jsonld"})");
  } catch (const error& e) {
    CHECK(e.code() == errc::not_supported);
  }
  CHECK_THROWS_WITH_AS(canon(R"({"@context": {"n": {"@id": "http://e/n", "@nest": "@nest"}}, "@id": "http://e/s"})"),
                       doctest::Contains("@nest"), error);
  CHECK_THROWS_WITH_AS(canon(R"({"@context": {"@import": "https://www.w3.org/ns/credentials/v2"}})"), doctest::Contains("@import"), error);
  try {
    (void)canon("{\n  \"@id\": \"http://e/s\",\n  \"p\": tru\n}");
    FAIL("accepted bad JSON");
  } catch (const parse_error& e) {
    CHECK(e.where().line == 3);
    CHECK(e.where().column > 1);
  }
  CHECK_THROWS_AS(canon(std::string(100000, '[') + std::string(100000, ']')), parse_error);  // no stack overflow
  CHECK_THROWS_AS(canon(R"({"@context": {"@version": 1.0}})"), parse_error);
  CHECK_THROWS_AS(canon(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "http://e/s", "n": 1e999})"), parse_error);
  CHECK_THROWS_AS(canon(R"({"@context": {"a": {"@id": "http://e/a", "@container": "@bogus"}}})"), parse_error);
  CHECK_THROWS_AS(canon(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "http://e/s", "@type": 5})"), parse_error);
}

TEST_CASE("ld jsonld: the shipped contexts, a realistic credential, the same from many threads") {
  const auto urls = ld::shipped_contexts();
  REQUIRE(urls.size() == 3);
  CHECK(urls[0] == "https://www.w3.org/ns/credentials/v2");
  const std::string credential = slurp(dskill_test::data_path("jsonld/ob_credential_4k.jsonld"));
  const std::string once = canon(credential);
  CHECK(once.find("<https://w3id.org/security#cryptosuite> \"eddsa-rdfc-2022\"^^<https://w3id.org/security#cryptosuiteString>") !=
        std::string::npos);
  // (The Open Badges 3.0.3 context spells XML Schema with https.)
  CHECK(once.find("<https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> \"true\"^^<https://www.w3.org/2001/XMLSchema#boolean>") !=
        std::string::npos);
  // The proof is in a graph of its own (VC 2.0: proof is @container @graph).
  CHECK(once.find("<https://w3id.org/security#proof> _:c14n") != std::string::npos);
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) results[t] = canon(credential);
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r == once);
  // Quads from to_rdf, serialised, parse back to the same canonical form.
  const auto quads = ld::to_rdf(credential);
  CHECK(ld::canonicalize(ld::parse_nquads(ld::to_nquads(quads))).nquads == once);
}

TEST_CASE("ld jsonld: a dataset is a set: one quad for two JSON numbers with one lexical form") {
  // -0 and 5e-7 are both "0"^^xsd:integer. jsonld.js 9 writes that quad twice; RDF datasets
  // (and RDFC-1.0) have it once.
  CHECK(canon(R"({"@context": {"@vocab": "http://e/v#"}, "@id": "http://e/s", "n": [-0.0, 5e-7]})") ==
        std::string("<http://e/s> <http://e/v#n> \"0\"^^<") + xsd + "integer> .\n");
}

TEST_CASE("ld contexts: the shipped Open Badges 3.0.3 context is the one of the standard's folder, as JSON") {
  // src/ld/contexts holds the npm package's copy (byte-exact for VC 2.0; pretty-printed for OB):
  // it must say what 1EdTech's published context says.
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << path);
    return nlohmann::json::parse(in);
  };
  const auto shipped = read(dskill_test::source_path("src/ld/contexts/ob-context-3.0.3.json"));
  const auto standard = read(dskill_test::source_path("../shared/standards/ob-3.0/context-3.0.3.json"));
  CHECK(shipped == standard);
}
