/**
 * Twenty real cities for demo data: real neighbourhoods, real street names, postcodes in the
 * local format, the local currency and a typical nightly price. House numbers and the last
 * postcode digits are made up, so an address is plausible but not somebody's home.
 *
 * `faker` names the locale whose people host there (see generate.ts). Postcode patterns use
 * faker's `replaceSymbols`: `#` is a digit, `?` a capital letter. In street templates every
 * `{n}` becomes a house number from `houseNumbers`.
 */
export type FakerLocale =
  | "de_CH"
  | "fr_CH"
  | "de"
  | "de_AT"
  | "fr"
  | "fr_CA"
  | "es"
  | "es_MX"
  | "pt_PT"
  | "it"
  | "nl"
  | "pl"
  | "da"
  | "sv"
  | "en_GB"
  | "en_US"
  | "en_ZA"
  | "en_AU"
  | "ja";

export interface Area {
  name: string;
  postcode: string;
  streets: readonly string[];
}

export interface City {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** ISO 4217. */
  currency: string;
  faker: FakerLocale;
  centre: { lat: number; lng: number };
  /** A typical night in a one-bedroom flat, in major units of `currency`. */
  typicalPrice: number;
  /** How often the city comes up once every city has one listing (relative). */
  popularity: number;
  houseNumbers: readonly [number, number];
  /** Beach or lake: sea views and the odd villa are plausible. */
  waterfront: boolean;
  areas: readonly Area[];
  /** A quarter at the edge of the woods: where the city's cabins are. */
  outskirts?: Area;
}

export const CITIES: readonly City[] = [
  {
    name: "Zürich",
    country: "CH",
    currency: "CHF",
    faker: "de_CH",
    centre: { lat: 47.3769, lng: 8.5417 },
    typicalPrice: 170,
    popularity: 8,
    houseNumbers: [1, 120],
    waterfront: true,
    areas: [
      {
        name: "Seefeld",
        postcode: "8008",
        streets: ["Seefeldstrasse {n}", "Dufourstrasse {n}", "Feldeggstrasse {n}"],
      },
      {
        name: "Kreis 4",
        postcode: "8004",
        streets: ["Langstrasse {n}", "Badenerstrasse {n}", "Stauffacherstrasse {n}"],
      },
      {
        name: "Wiedikon",
        postcode: "8003",
        streets: ["Birmensdorferstrasse {n}", "Zurlindenstrasse {n}"],
      },
      {
        name: "Oerlikon",
        postcode: "8050",
        streets: ["Schaffhauserstrasse {n}", "Regensbergstrasse {n}"],
      },
    ],
    outskirts: {
      name: "Witikon",
      postcode: "8053",
      streets: ["Witikonerstrasse {n}", "Loorenstrasse {n}"],
    },
  },
  {
    name: "Geneva",
    country: "CH",
    currency: "CHF",
    faker: "fr_CH",
    centre: { lat: 46.2044, lng: 6.1432 },
    typicalPrice: 160,
    popularity: 4,
    houseNumbers: [1, 60],
    waterfront: true,
    areas: [
      {
        name: "Eaux-Vives",
        postcode: "1207",
        streets: ["Rue des Eaux-Vives {n}", "Rue du Lac {n}"],
      },
      { name: "Pâquis", postcode: "1201", streets: ["Rue de Berne {n}", "Rue des Pâquis {n}"] },
      {
        name: "Plainpalais",
        postcode: "1205",
        streets: ["Boulevard Carl-Vogt {n}", "Rue de Carouge {n}"],
      },
      { name: "Champel", postcode: "1206", streets: ["Avenue de Champel {n}", "Chemin Rieu {n}"] },
    ],
  },
  {
    name: "Berlin",
    country: "DE",
    currency: "EUR",
    faker: "de",
    centre: { lat: 52.52, lng: 13.405 },
    typicalPrice: 105,
    popularity: 6,
    houseNumbers: [1, 180],
    waterfront: false,
    areas: [
      {
        name: "Kreuzberg",
        postcode: "1099#",
        streets: ["Oranienstraße {n}", "Bergmannstraße {n}", "Wrangelstraße {n}"],
      },
      {
        name: "Prenzlauer Berg",
        postcode: "1043#",
        streets: ["Kastanienallee {n}", "Schönhauser Allee {n}", "Stargarder Straße {n}"],
      },
      { name: "Neukölln", postcode: "1204#", streets: ["Weserstraße {n}", "Sonnenallee {n}"] },
      { name: "Mitte", postcode: "1011#", streets: ["Torstraße {n}", "Linienstraße {n}"] },
    ],
  },
  {
    name: "Paris",
    country: "FR",
    currency: "EUR",
    faker: "fr",
    centre: { lat: 48.8566, lng: 2.3522 },
    typicalPrice: 150,
    popularity: 7,
    houseNumbers: [1, 90],
    waterfront: false,
    areas: [
      {
        name: "Le Marais",
        postcode: "75003",
        streets: ["{n} Rue de Bretagne", "{n} Rue Vieille du Temple", "{n} Rue des Rosiers"],
      },
      {
        name: "Montmartre",
        postcode: "75018",
        streets: ["{n} Rue Lepic", "{n} Rue des Abbesses", "{n} Rue Caulaincourt"],
      },
      {
        name: "Canal Saint-Martin",
        postcode: "75010",
        streets: ["{n} Quai de Valmy", "{n} Rue Beaurepaire", "{n} Rue de Lancry"],
      },
      {
        name: "Saint-Germain-des-Prés",
        postcode: "75006",
        streets: ["{n} Rue de Seine", "{n} Rue Jacob", "{n} Rue du Four"],
      },
    ],
  },
  {
    name: "Barcelona",
    country: "ES",
    currency: "EUR",
    faker: "es",
    centre: { lat: 41.3874, lng: 2.1686 },
    typicalPrice: 130,
    popularity: 6,
    houseNumbers: [1, 140],
    waterfront: true,
    areas: [
      {
        name: "Gràcia",
        postcode: "08012",
        streets: ["Carrer de Verdi, {n}", "Carrer Gran de Gràcia, {n}", "Carrer de Torrijos, {n}"],
      },
      {
        name: "El Born",
        postcode: "08003",
        streets: ["Carrer de la Princesa, {n}", "Passeig del Born, {n}"],
      },
      {
        name: "Eixample",
        postcode: "08009",
        streets: [
          "Carrer de Provença, {n}",
          "Carrer d'Aragó, {n}",
          "Carrer del Consell de Cent, {n}",
        ],
      },
      {
        name: "Barceloneta",
        postcode: "08003",
        streets: ["Carrer de la Maquinista, {n}", "Passeig de Joan de Borbó, {n}"],
      },
    ],
  },
  {
    name: "Lisbon",
    country: "PT",
    currency: "EUR",
    faker: "pt_PT",
    centre: { lat: 38.7223, lng: -9.1393 },
    typicalPrice: 105,
    popularity: 6,
    houseNumbers: [1, 110],
    waterfront: true,
    areas: [
      {
        name: "Bairro Alto",
        postcode: "1200-###",
        streets: ["Rua da Rosa, {n}", "Rua do Norte, {n}", "Travessa da Queimada, {n}"],
      },
      {
        name: "Alfama",
        postcode: "1100-###",
        streets: ["Rua dos Remédios, {n}", "Rua de São Miguel, {n}"],
      },
      {
        name: "Príncipe Real",
        postcode: "1250-###",
        streets: ["Rua da Escola Politécnica, {n}", "Rua Dom Pedro V, {n}"],
      },
      {
        name: "Graça",
        postcode: "1170-###",
        streets: ["Rua da Graça, {n}", "Calçada do Monte, {n}"],
      },
    ],
  },
  {
    name: "Rome",
    country: "IT",
    currency: "EUR",
    faker: "it",
    centre: { lat: 41.9028, lng: 12.4964 },
    typicalPrice: 120,
    popularity: 5,
    houseNumbers: [1, 120],
    waterfront: false,
    areas: [
      {
        name: "Trastevere",
        postcode: "00153",
        streets: ["Via della Lungaretta, {n}", "Via della Scala, {n}", "Vicolo del Cinque, {n}"],
      },
      {
        name: "Monti",
        postcode: "00184",
        streets: ["Via Panisperna, {n}", "Via dei Serpenti, {n}", "Via del Boschetto, {n}"],
      },
      {
        name: "Centro Storico",
        postcode: "00186",
        streets: ["Via del Governo Vecchio, {n}", "Via dei Coronari, {n}"],
      },
      { name: "Testaccio", postcode: "00153", streets: ["Via Marmorata, {n}", "Via Galvani, {n}"] },
    ],
  },
  {
    name: "Amsterdam",
    country: "NL",
    currency: "EUR",
    faker: "nl",
    centre: { lat: 52.3676, lng: 4.9041 },
    typicalPrice: 170,
    popularity: 5,
    houseNumbers: [1, 300],
    waterfront: false,
    areas: [
      {
        name: "Jordaan",
        postcode: "1015 ??",
        streets: ["Prinsengracht {n}", "Westerstraat {n}", "Lindengracht {n}"],
      },
      {
        name: "De Pijp",
        postcode: "1072 ??",
        streets: ["Albert Cuypstraat {n}", "Ferdinand Bolstraat {n}"],
      },
      { name: "Oost", postcode: "1093 ??", streets: ["Linnaeusstraat {n}", "Wibautstraat {n}"] },
      { name: "Oud-West", postcode: "1054 ??", streets: ["Overtoom {n}", "Kinkerstraat {n}"] },
    ],
  },
  {
    name: "Vienna",
    country: "AT",
    currency: "EUR",
    faker: "de_AT",
    centre: { lat: 48.2082, lng: 16.3738 },
    typicalPrice: 100,
    popularity: 4,
    houseNumbers: [1, 80],
    waterfront: false,
    areas: [
      {
        name: "Neubau",
        postcode: "1070",
        streets: ["Neubaugasse {n}", "Zollergasse {n}", "Siebensterngasse {n}"],
      },
      {
        name: "Leopoldstadt",
        postcode: "1020",
        streets: ["Praterstraße {n}", "Taborstraße {n}", "Karmelitergasse {n}"],
      },
      {
        name: "Josefstadt",
        postcode: "1080",
        streets: ["Josefstädter Straße {n}", "Lange Gasse {n}"],
      },
      {
        name: "Innere Stadt",
        postcode: "1010",
        streets: ["Schönlaterngasse {n}", "Bäckerstraße {n}"],
      },
    ],
    outskirts: {
      name: "Neustift am Walde",
      postcode: "1190",
      streets: ["Rathstraße {n}", "Neustift am Walde {n}"],
    },
  },
  {
    name: "Kraków",
    country: "PL",
    currency: "PLN",
    faker: "pl",
    centre: { lat: 50.0647, lng: 19.945 },
    typicalPrice: 330,
    popularity: 3,
    houseNumbers: [1, 60],
    waterfront: false,
    areas: [
      {
        name: "Kazimierz",
        postcode: "31-0##",
        streets: ["ul. Józefa {n}", "ul. Szeroka {n}", "ul. Miodowa {n}"],
      },
      {
        name: "Stare Miasto",
        postcode: "31-0##",
        streets: ["ul. Floriańska {n}", "ul. Szewska {n}", "ul. Grodzka {n}"],
      },
      {
        name: "Podgórze",
        postcode: "30-5##",
        streets: ["ul. Limanowskiego {n}", "ul. Kalwaryjska {n}"],
      },
    ],
  },
  {
    name: "Copenhagen",
    country: "DK",
    currency: "DKK",
    faker: "da",
    centre: { lat: 55.6761, lng: 12.5683 },
    typicalPrice: 1100,
    popularity: 4,
    houseNumbers: [1, 120],
    waterfront: true,
    areas: [
      {
        name: "Nørrebro",
        postcode: "2200",
        streets: ["Jægersborggade {n}", "Blågårdsgade {n}", "Elmegade {n}"],
      },
      {
        name: "Vesterbro",
        postcode: "1620",
        streets: ["Istedgade {n}", "Værnedamsvej {n}", "Enghavevej {n}"],
      },
      {
        name: "Christianshavn",
        postcode: "1415",
        streets: ["Overgaden oven Vandet {n}", "Strandgade {n}", "Wildersgade {n}"],
      },
      {
        name: "Østerbro",
        postcode: "2100",
        streets: ["Østerbrogade {n}", "Nordre Frihavnsgade {n}"],
      },
    ],
  },
  {
    name: "Stockholm",
    country: "SE",
    currency: "SEK",
    faker: "sv",
    centre: { lat: 59.3293, lng: 18.0686 },
    typicalPrice: 1300,
    popularity: 4,
    houseNumbers: [1, 90],
    waterfront: true,
    areas: [
      {
        name: "Södermalm",
        postcode: "118 ##",
        streets: ["Götgatan {n}", "Hornsgatan {n}", "Skånegatan {n}"],
      },
      {
        name: "Vasastan",
        postcode: "113 ##",
        streets: ["Odengatan {n}", "Upplandsgatan {n}", "Dalagatan {n}"],
      },
      { name: "Östermalm", postcode: "114 ##", streets: ["Karlavägen {n}", "Strandvägen {n}"] },
      {
        name: "Kungsholmen",
        postcode: "112 ##",
        streets: ["Hantverkargatan {n}", "Fleminggatan {n}"],
      },
    ],
  },
  {
    name: "London",
    country: "GB",
    currency: "GBP",
    faker: "en_GB",
    centre: { lat: 51.5072, lng: -0.1276 },
    typicalPrice: 150,
    popularity: 7,
    houseNumbers: [1, 200],
    waterfront: false,
    areas: [
      {
        name: "Shoreditch",
        postcode: "E2 #??",
        streets: ["{n} Columbia Road", "{n} Redchurch Street", "{n} Hackney Road"],
      },
      {
        name: "Notting Hill",
        postcode: "W11 #??",
        streets: ["{n} Portobello Road", "{n} Ledbury Road", "{n} Westbourne Grove"],
      },
      {
        name: "Camden",
        postcode: "NW1 #??",
        streets: ["{n} Camden Road", "{n} Arlington Road", "{n} Parkway"],
      },
      {
        name: "Brixton",
        postcode: "SW9 #??",
        streets: ["{n} Coldharbour Lane", "{n} Railton Road", "{n} Acre Lane"],
      },
    ],
  },
  {
    name: "New York",
    country: "US",
    currency: "USD",
    faker: "en_US",
    centre: { lat: 40.7128, lng: -74.006 },
    typicalPrice: 230,
    popularity: 6,
    houseNumbers: [1, 400],
    waterfront: false,
    areas: [
      {
        name: "Williamsburg",
        postcode: "11211",
        streets: ["{n} Bedford Avenue", "{n} Berry Street", "{n} Wythe Avenue"],
      },
      {
        name: "East Village",
        postcode: "10009",
        streets: ["{n} East 7th Street", "{n} Avenue A", "{n} St Marks Place"],
      },
      {
        name: "Harlem",
        postcode: "10027",
        streets: ["{n} West 126th Street", "{n} Malcolm X Boulevard"],
      },
      {
        name: "Upper West Side",
        postcode: "10024",
        streets: ["{n} West 82nd Street", "{n} Columbus Avenue", "{n} Amsterdam Avenue"],
      },
    ],
  },
  {
    name: "Mexico City",
    country: "MX",
    currency: "MXN",
    faker: "es_MX",
    centre: { lat: 19.4326, lng: -99.1332 },
    typicalPrice: 1700,
    popularity: 4,
    houseNumbers: [1, 250],
    waterfront: false,
    areas: [
      {
        name: "Roma Norte",
        postcode: "06700",
        streets: ["Calle Colima {n}", "Calle Orizaba {n}", "Calle Durango {n}"],
      },
      {
        name: "Condesa",
        postcode: "06140",
        streets: ["Avenida Amsterdam {n}", "Calle Michoacán {n}", "Calle Tamaulipas {n}"],
      },
      {
        name: "Coyoacán",
        postcode: "04000",
        streets: ["Calle Francisco Sosa {n}", "Calle Higuera {n}"],
      },
      {
        name: "Polanco",
        postcode: "11560",
        streets: ["Calle Emilio Castelar {n}", "Avenida Presidente Masaryk {n}"],
      },
    ],
  },
  {
    name: "Buenos Aires",
    country: "AR",
    currency: "ARS",
    faker: "es",
    centre: { lat: -34.6037, lng: -58.3816 },
    typicalPrice: 75_000,
    popularity: 3,
    houseNumbers: [100, 4800],
    waterfront: false,
    areas: [
      {
        name: "Palermo",
        postcode: "C1414???",
        streets: ["Honduras {n}", "Gurruchaga {n}", "Thames {n}"],
      },
      {
        name: "San Telmo",
        postcode: "C1103???",
        streets: ["Defensa {n}", "Humberto Primo {n}", "Bolívar {n}"],
      },
      { name: "Recoleta", postcode: "C1113???", streets: ["Avenida Alvear {n}", "Ayacucho {n}"] },
    ],
  },
  {
    name: "Cape Town",
    country: "ZA",
    currency: "ZAR",
    faker: "en_ZA",
    centre: { lat: -33.9249, lng: 18.4241 },
    typicalPrice: 1500,
    popularity: 4,
    houseNumbers: [1, 150],
    waterfront: true,
    areas: [
      {
        name: "Gardens",
        postcode: "8001",
        streets: ["{n} Kloof Street", "{n} Hof Street", "{n} Upper Orange Street"],
      },
      {
        name: "Sea Point",
        postcode: "8005",
        streets: ["{n} Main Road", "{n} Regent Road", "{n} Beach Road"],
      },
      {
        name: "Bo-Kaap",
        postcode: "8001",
        streets: ["{n} Wale Street", "{n} Chiappini Street", "{n} Rose Street"],
      },
      { name: "Camps Bay", postcode: "8005", streets: ["{n} Victoria Road", "{n} Geneva Drive"] },
    ],
    outskirts: {
      name: "Constantia",
      postcode: "7806",
      streets: ["{n} Constantia Main Road", "{n} Spaanschemat River Road"],
    },
  },
  {
    name: "Tokyo",
    country: "JP",
    currency: "JPY",
    faker: "ja",
    centre: { lat: 35.6762, lng: 139.6503 },
    typicalPrice: 17_000,
    popularity: 5,
    houseNumbers: [1, 25],
    waterfront: false,
    areas: [
      { name: "Shibuya", postcode: "150-00##", streets: ["Jingumae {n}-{n}-{n}, Shibuya-ku"] },
      {
        name: "Shimokitazawa",
        postcode: "155-00##",
        streets: ["Kitazawa {n}-{n}-{n}, Setagaya-ku"],
      },
      {
        name: "Asakusa",
        postcode: "111-00##",
        streets: ["Asakusa {n}-{n}-{n}, Taitō-ku", "Kaminarimon {n}-{n}-{n}, Taitō-ku"],
      },
      {
        name: "Nakameguro",
        postcode: "153-00##",
        streets: ["Kamimeguro {n}-{n}-{n}, Meguro-ku", "Aobadai {n}-{n}-{n}, Meguro-ku"],
      },
    ],
  },
  {
    name: "Sydney",
    country: "AU",
    currency: "AUD",
    faker: "en_AU",
    centre: { lat: -33.8688, lng: 151.2093 },
    typicalPrice: 210,
    popularity: 5,
    houseNumbers: [1, 250],
    waterfront: true,
    areas: [
      {
        name: "Surry Hills",
        postcode: "2010",
        streets: ["{n} Crown Street", "{n} Bourke Street", "{n} Riley Street"],
      },
      {
        name: "Bondi",
        postcode: "2026",
        streets: ["{n} Campbell Parade", "{n} Hall Street", "{n} Curlewis Street"],
      },
      {
        name: "Newtown",
        postcode: "2042",
        streets: ["{n} King Street", "{n} Enmore Road", "{n} Wilson Street"],
      },
      { name: "Manly", postcode: "2095", streets: ["{n} The Corso", "{n} Darley Road"] },
    ],
  },
  {
    name: "Montréal",
    country: "CA",
    currency: "CAD",
    faker: "fr_CA",
    centre: { lat: 45.5019, lng: -73.5674 },
    typicalPrice: 150,
    popularity: 4,
    houseNumbers: [100, 5500],
    waterfront: false,
    areas: [
      {
        name: "Plateau-Mont-Royal",
        postcode: "H2T #?#",
        streets: ["{n} Rue Saint-Denis", "{n} Avenue du Mont-Royal Est", "{n} Rue Rachel Est"],
      },
      {
        name: "Mile End",
        postcode: "H2V #?#",
        streets: ["{n} Rue Saint-Viateur Ouest", "{n} Avenue Fairmount Ouest"],
      },
      {
        name: "Vieux-Montréal",
        postcode: "H2Y #?#",
        streets: ["{n} Rue Saint-Paul Ouest", "{n} Rue de la Commune Est"],
      },
    ],
  },
];
