"""Names for demo data: regional offices (Kanwil) of real provinces with their immigration offices
(Kantor Imigrasi), and Indonesian given and family names. Provinces that send many migrant
workers come first, so a small demo already looks like the places Pimpasa work in."""
from __future__ import annotations

REGIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("KANWIL-JATIM", "Kanwil Jawa Timur", [
        ("KANIM-SBY", "Kantor Imigrasi Surabaya"), ("KANIM-TPR", "Kantor Imigrasi Tanjung Perak"),
        ("KANIM-MLG", "Kantor Imigrasi Malang"), ("KANIM-BLT", "Kantor Imigrasi Blitar"),
        ("KANIM-KDR", "Kantor Imigrasi Kediri"), ("KANIM-MDN", "Kantor Imigrasi Madiun"),
        ("KANIM-JBR", "Kantor Imigrasi Jember"), ("KANIM-BWI", "Kantor Imigrasi Banyuwangi"),
        ("KANIM-PMK", "Kantor Imigrasi Pamekasan"), ("KANIM-PNR", "Kantor Imigrasi Ponorogo")]),
    ("KANWIL-NTB", "Kanwil Nusa Tenggara Barat", [
        ("KANIM-MTR", "Kantor Imigrasi Mataram"), ("KANIM-SBW", "Kantor Imigrasi Sumbawa Besar"),
        ("KANIM-BIM", "Kantor Imigrasi Bima")]),
    ("KANWIL-JATENG", "Kanwil Jawa Tengah", [
        ("KANIM-SMG", "Kantor Imigrasi Semarang"), ("KANIM-SKA", "Kantor Imigrasi Surakarta"),
        ("KANIM-CLP", "Kantor Imigrasi Cilacap"), ("KANIM-PTI", "Kantor Imigrasi Pati"),
        ("KANIM-PML", "Kantor Imigrasi Pemalang"), ("KANIM-WSB", "Kantor Imigrasi Wonosobo")]),
    ("KANWIL-JABAR", "Kanwil Jawa Barat", [
        ("KANIM-BDG", "Kantor Imigrasi Bandung"), ("KANIM-BGR", "Kantor Imigrasi Bogor"),
        ("KANIM-BKS", "Kantor Imigrasi Bekasi"), ("KANIM-CBN", "Kantor Imigrasi Cirebon"),
        ("KANIM-DPK", "Kantor Imigrasi Depok"), ("KANIM-KRW", "Kantor Imigrasi Karawang"),
        ("KANIM-SKB", "Kantor Imigrasi Sukabumi"), ("KANIM-TSM", "Kantor Imigrasi Tasikmalaya")]),
    ("KANWIL-NTT", "Kanwil Nusa Tenggara Timur", [
        ("KANIM-KPG", "Kantor Imigrasi Kupang"), ("KANIM-ATB", "Kantor Imigrasi Atambua"),
        ("KANIM-MOF", "Kantor Imigrasi Maumere"), ("KANIM-LBJ", "Kantor Imigrasi Labuan Bajo")]),
    ("KANWIL-KALBAR", "Kanwil Kalimantan Barat", [
        ("KANIM-PNK", "Kantor Imigrasi Pontianak"), ("KANIM-ETK", "Kantor Imigrasi Entikong"),
        ("KANIM-SKW", "Kantor Imigrasi Singkawang"), ("KANIM-SGU", "Kantor Imigrasi Sanggau"),
        ("KANIM-PSB", "Kantor Imigrasi Putussibau")]),
    ("KANWIL-SUMUT", "Kanwil Sumatera Utara", [
        ("KANIM-MES", "Kantor Imigrasi Medan"), ("KANIM-BLW", "Kantor Imigrasi Belawan"),
        ("KANIM-PLN", "Kantor Imigrasi Polonia"), ("KANIM-PSI", "Kantor Imigrasi Pematangsiantar"),
        ("KANIM-SBG", "Kantor Imigrasi Sibolga"), ("KANIM-TJB", "Kantor Imigrasi Tanjung Balai Asahan")]),
    ("KANWIL-KEPRI", "Kanwil Kepulauan Riau", [
        ("KANIM-BTM", "Kantor Imigrasi Batam"), ("KANIM-TPI", "Kantor Imigrasi Tanjungpinang"),
        ("KANIM-TBU", "Kantor Imigrasi Tanjung Uban"),
        ("KANIM-TBK", "Kantor Imigrasi Tanjung Balai Karimun"), ("KANIM-RNI", "Kantor Imigrasi Ranai")]),
    ("KANWIL-LAMPUNG", "Kanwil Lampung", [
        ("KANIM-BDL", "Kantor Imigrasi Bandar Lampung"), ("KANIM-KTB", "Kantor Imigrasi Kotabumi")]),
    ("KANWIL-BALI", "Kanwil Bali", [
        ("KANIM-DPS", "Kantor Imigrasi Denpasar"), ("KANIM-NGR", "Kantor Imigrasi Ngurah Rai"),
        ("KANIM-SGR", "Kantor Imigrasi Singaraja")]),
    ("KANWIL-SULSEL", "Kanwil Sulawesi Selatan", [
        ("KANIM-MKS", "Kantor Imigrasi Makassar"), ("KANIM-PRE", "Kantor Imigrasi Parepare"),
        ("KANIM-PLP", "Kantor Imigrasi Palopo")]),
    ("KANWIL-KALTARA", "Kanwil Kalimantan Utara", [
        ("KANIM-TRK", "Kantor Imigrasi Tarakan"), ("KANIM-NNK", "Kantor Imigrasi Nunukan")]),
    ("KANWIL-RIAU", "Kanwil Riau", [
        ("KANIM-PKU", "Kantor Imigrasi Pekanbaru"), ("KANIM-DUM", "Kantor Imigrasi Dumai"),
        ("KANIM-BGN", "Kantor Imigrasi Bagansiapiapi"), ("KANIM-BKL", "Kantor Imigrasi Bengkalis"),
        ("KANIM-SLP", "Kantor Imigrasi Selatpanjang"), ("KANIM-TBH", "Kantor Imigrasi Tembilahan")]),
    ("KANWIL-DKI", "Kanwil DKI Jakarta", [
        ("KANIM-JKP", "Kantor Imigrasi Jakarta Pusat"), ("KANIM-JKU", "Kantor Imigrasi Jakarta Utara"),
        ("KANIM-JKB", "Kantor Imigrasi Jakarta Barat"),
        ("KANIM-JKS", "Kantor Imigrasi Jakarta Selatan"),
        ("KANIM-JKT", "Kantor Imigrasi Jakarta Timur")]),
    ("KANWIL-BANTEN", "Kanwil Banten", [
        ("KANIM-SRG", "Kantor Imigrasi Serang"), ("KANIM-TNG", "Kantor Imigrasi Tangerang"),
        ("KANIM-SHA", "Kantor Imigrasi Soekarno-Hatta"), ("KANIM-CLG", "Kantor Imigrasi Cilegon")]),
    ("KANWIL-SUMSEL", "Kanwil Sumatera Selatan", [
        ("KANIM-PLG", "Kantor Imigrasi Palembang"), ("KANIM-MNM", "Kantor Imigrasi Muara Enim")]),
    ("KANWIL-ACEH", "Kanwil Aceh", [
        ("KANIM-BNA", "Kantor Imigrasi Banda Aceh"), ("KANIM-LSM", "Kantor Imigrasi Lhokseumawe"),
        ("KANIM-LGS", "Kantor Imigrasi Langsa"), ("KANIM-MLB", "Kantor Imigrasi Meulaboh"),
        ("KANIM-SBN", "Kantor Imigrasi Sabang")]),
    ("KANWIL-SUMBAR", "Kanwil Sumatera Barat", [
        ("KANIM-PDG", "Kantor Imigrasi Padang"), ("KANIM-AGM", "Kantor Imigrasi Agam")]),
    ("KANWIL-JAMBI", "Kanwil Jambi", [
        ("KANIM-JMB", "Kantor Imigrasi Jambi"), ("KANIM-KRC", "Kantor Imigrasi Kerinci")]),
    ("KANWIL-BENGKULU", "Kanwil Bengkulu", [("KANIM-BKU", "Kantor Imigrasi Bengkulu")]),
    ("KANWIL-BABEL", "Kanwil Kepulauan Bangka Belitung", [
        ("KANIM-PGK", "Kantor Imigrasi Pangkalpinang"),
        ("KANIM-TJQ", "Kantor Imigrasi Tanjung Pandan")]),
    ("KANWIL-DIY", "Kanwil Daerah Istimewa Yogyakarta", [
        ("KANIM-YOG", "Kantor Imigrasi Yogyakarta")]),
    ("KANWIL-KALTENG", "Kanwil Kalimantan Tengah", [
        ("KANIM-PKY", "Kantor Imigrasi Palangka Raya"), ("KANIM-SMQ", "Kantor Imigrasi Sampit")]),
    ("KANWIL-KALSEL", "Kanwil Kalimantan Selatan", [
        ("KANIM-BDJ", "Kantor Imigrasi Banjarmasin"), ("KANIM-BTL", "Kantor Imigrasi Batulicin")]),
    ("KANWIL-KALTIM", "Kanwil Kalimantan Timur", [
        ("KANIM-SRI", "Kantor Imigrasi Samarinda"), ("KANIM-BPN", "Kantor Imigrasi Balikpapan")]),
    ("KANWIL-SULUT", "Kanwil Sulawesi Utara", [
        ("KANIM-MDC", "Kantor Imigrasi Manado"), ("KANIM-BIT", "Kantor Imigrasi Bitung"),
        ("KANIM-THN", "Kantor Imigrasi Tahuna")]),
    ("KANWIL-SULTENG", "Kanwil Sulawesi Tengah", [("KANIM-PLW", "Kantor Imigrasi Palu")]),
    ("KANWIL-SULTRA", "Kanwil Sulawesi Tenggara", [
        ("KANIM-KDI", "Kantor Imigrasi Kendari"), ("KANIM-BUW", "Kantor Imigrasi Baubau")]),
    ("KANWIL-GORONTALO", "Kanwil Gorontalo", [("KANIM-GTO", "Kantor Imigrasi Gorontalo")]),
    ("KANWIL-SULBAR", "Kanwil Sulawesi Barat", [("KANIM-MJU", "Kantor Imigrasi Mamuju")]),
    ("KANWIL-MALUKU", "Kanwil Maluku", [
        ("KANIM-AMQ", "Kantor Imigrasi Ambon"), ("KANIM-TUA", "Kantor Imigrasi Tual")]),
    ("KANWIL-MALUT", "Kanwil Maluku Utara", [("KANIM-TTE", "Kantor Imigrasi Ternate")]),
    ("KANWIL-PAPUA", "Kanwil Papua", [
        ("KANIM-DJJ", "Kantor Imigrasi Jayapura"), ("KANIM-MKQ", "Kantor Imigrasi Merauke"),
        ("KANIM-BIK", "Kantor Imigrasi Biak"), ("KANIM-TIM", "Kantor Imigrasi Mimika")]),
    ("KANWIL-PAPBAR", "Kanwil Papua Barat", [
        ("KANIM-MKW", "Kantor Imigrasi Manokwari"), ("KANIM-SOQ", "Kantor Imigrasi Sorong")]),
]

GIVEN_NAMES = [
    "Agus", "Ahmad", "Andi", "Anisa", "Ari", "Ayu", "Bambang", "Bayu", "Budi", "Dewi", "Dian",
    "Dimas", "Eka", "Endang", "Fajar", "Fitri", "Gita", "Hadi", "Hendra", "Ika", "Indah", "Intan",
    "Irfan", "Joko", "Kartika", "Komang", "Kurniawan", "Lestari", "Lina", "Made", "Maria", "Muhammad",
    "Nanda", "Nur", "Nyoman", "Putri", "Putu", "Rahmat", "Ratna", "Reza", "Rina", "Rizki", "Sari",
    "Siti", "Sri", "Taufik", "Teguh", "Tri", "Wahyu", "Wayan", "Wulan", "Yanti", "Yohanes", "Yusuf",
]
FAMILY_NAMES = [
    "Hidayat", "Saputra", "Santoso", "Wijaya", "Kusuma", "Pratama", "Nugroho", "Setiawan",
    "Lestari", "Handayani", "Siregar", "Nasution", "Harahap", "Simanjuntak", "Sitompul", "Lubis",
    "Wibowo", "Susanto", "Rahayu", "Purnomo", "Hakim", "Syahputra", "Manurung", "Tanjung",
    "Gunawan", "Permana", "Ramadhan", "Utami", "Halim", "Fauzi", "Pangaribuan", "Tambunan",
    "Daeng", "Mandala", "Sinaga", "Latuconsina", "Rumbewas", "Laoli", "Ndun", "Bere",
]
