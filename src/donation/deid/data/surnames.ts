/**
 * Family names from many cultures that compromise's dictionary lacks, added to it as last names
 * (compromise-lexicon.ts) so that "Okafor and Nguyen were there" or "dr. adeyemi" read as people.
 *
 * Only names that are no common word in English, German, French, Spanish, Italian, Portuguese or
 * Dutch: compromise tags a listed last name as a person even alone and in lower case, so "Santos",
 * "Dias", "Costa", "Vogel", "Koch" or "Richter" here would turn "muitos dias" or "Der Richter" into
 * people. Names written with an apostrophe or as two words (O'Brien, van Dijk) are left to the
 * tagger. Curated by hand; an aid, not a census.
 */
export const EXTRA_SURNAMES: readonly string[] = `
  Okafor Okonkwo Okeke Okoro Nwosu Nwachukwu Chukwu Adeyemi Adebayo Ogunleye Afolabi Abubakar Yusuf Suleiman
  Mensah Asante Owusu Boateng Osei Agyeman Appiah Ofori Antwi Amoah Acheampong Mwangi Kamau Otieno Ochieng
  Odhiambo Njoroge Kariuki Kiprop Kipchoge Chebet Mutua Omondi Onyango Dlamini Nkosi Ndlovu Mokoena Khumalo
  Mthembu Sithole Mahlangu Ngcobo Moyo Ncube Sibanda Mpofu Phiri Tembo Mwale Abebe Tesfaye Girma Bekele Haile
  Tadesse Kebede Alemu Diallo Traoré Keita Coulibaly Konaté Cissé Ndiaye Diop Kamara Sesay Conteh Koroma
  Nkurunziza Uwimana Habimana Mugisha
  Haddad Khalil Hussein Mansour Nasser Saleh Khoury Najjar Farouk Mahmoud Mostafa Mustafa Osman Othman Nassar
  Darwish Hamdan Yousef Awad Fahmy Benali Belkacem Amrani Alaoui Bennani Mizrahi Peretz Biton Friedman
  Goldberg Rosenberg Shapiro Yılmaz Yilmaz Kaya Demir Şahin Sahin Yıldız Yildiz Yıldırım Öztürk Ozturk
  Özdemir Ozdemir Doğan Dogan Kılıç Çetin Özkan Şimşek Polat Hosseini Mohammadi Rezaei Ahmadi Karimi Moradi
  Jafari Rahimi Hashemi Ghorbani Sadeghi Kazemi Mousavi Abbasi Akbari
  Sharma Kumar Gupta Reddy Iyer Iyengar Nair Menon Joshi Mehta Chatterjee Banerjee Mukherjee Ghosh Dutta
  Chakraborty Agarwal Aggarwal Verma Pillai Krishnan Subramanian Naidu Desai Kulkarni Deshpande Patil Kapoor
  Khanna Malhotra Chopra Bhatia Sethi Sandhu Sidhu Dhillon Grewal Chaudhry Chaudhary Choudhury Chowdhury
  Qureshi Siddiqui Ansari Hussain Akhtar Mirza Baig Thapa Shrestha Gurung Tamang Perera Jayawardena
  Wickramasinghe Bandara Uddin Hossain
  Wang Zhang Chen Huang Zhao Zhou Zhu Guo Luo Liang Zheng Xie Feng Deng Tian Jiang Peng Zeng Xiao Liu Gao
  Sato Suzuki Takahashi Tanaka Watanabe Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Yamaguchi
  Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Ikeda Hashimoto Ishikawa Ogawa Okada Hasegawa Fujita
  Kondo Murakami Aoki Sakamoto Nishimura Fukuda Miura Fujii Okamoto Matsuda Nakagawa Harada Takeda
  Choi Kang Yoon Jang Kwon Hwang Ahn Jeon Baek Nguyen Pham Hoang Huynh Truong Trinh Duong Luong
  Wijaya Santoso Susanto Hidayat Saputra Setiawan Gunawan Nugroho Siregar Nasution Bautista Villanueva
  Pangilinan Tolentino
  Kowalski Kowalska Nowak Wiśniewski Wiśniewska Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański
  Woźniak Dąbrowski Kozłowski Jankowski Kwiatkowski Krawczyk Piotrowski Grabowski Pawłowski Michalski
  Nowakowski Adamczyk Wieczorek Jabłoński Majewski Olszewski Jaworski Malinowski Pawlak Witkowski Walczak
  Ivanov Ivanova Smirnov Smirnova Kuznetsov Kuznetsova Petrov Petrova Sokolov Lebedev Kozlov Novikov Morozov
  Volkov Vasiliev Zaitsev Semenov Vinogradov Bogdanov Fedorov Mikhailov Shevchenko Kovalenko Bondarenko
  Tkachenko Kravchenko Oliynyk Shevchuk Polishchuk Boyko Melnyk Lysenko Marchenko Rudenko Dvořák Novotný
  Kučera Horák Horvat Kovačević Babić Marić Jurić Jovanović Petrović Nikolić Marković Đorđević Stojanović
  Popescu Ionescu Dumitru Stoica Gheorghe Ciobanu Georgiev Dimitrov Nikolov Hristov Todorov Kovács Tóth
  Szabó Horváth Molnár Németh Balogh
  Müller Schmidt Meyer Meier Wagner Becker Schulz Hoffmann Schröder Neumann Hartmann Krüger Hofmann Lehmann
  Köhler Herrmann Schmitz Schmitt Schulze Scholz Möller Schubert Günther Baumann Albrecht Schumacher Seidel
  Brandt Schulte Dietrich Ziegler Pfeiffer Wolff Voigt
  Dubois Lefebvre Lefèvre Durand Leroy Moreau Fournier Morel Girard Mercier Dupont Garnier Faure Rousseau
  Guérin Roussel Perrin Morin Gauthier Dumont Masson Lemaire Duval Gautier Dufour Blanchard Brunet Leroux
  Rolland Caron Aubert Giraud Leclerc Renaud Lemoine Gaillard Leclercq Lacroix Fabre Dupuis Deschamps
  Maillard Vasseur Prévost Guyot Perrot
  Rossi Esposito Bianchi Colombo Ricci Mancini Giordano Rizzo Lombardi Moretti Barbieri Santoro Mariani
  Rinaldi Caruso Galli Martinelli Lombardo Coppola Marchetti Parisi Ferraro Fabbri Marini Valentini
  Pellegrini Palumbo Cattaneo Morelli Silvestri Giuliani Benedetti Rossetti Caputo Montanari Palmieri
  Bernardi Ferretti Bellini Sorrentino
  Rodríguez Rodriguez Martínez Martinez Hernández Hernandez López Lopez González Gonzalez Pérez Perez Sánchez
  Sanchez Ramírez Ramirez Gutiérrez Gutierrez Chávez Chavez Álvarez Alvarez Jiménez Jimenez Vargas Aguilar
  Guzmán Muñoz Núñez Salazar Cabrera Fernández Fernandez Suárez Suarez Domínguez Dominguez Vázquez Vazquez
  Velázquez Cárdenas Ibarra Valdez Carrillo Acosta Pineda Mejía Quintero Bermúdez Arango Osorio Restrepo
  Cardona Londoño Giraldo Sandoval Espinoza Figueroa Orozco Maldonado Contreras Oliveira Souza Sousa Pereira
  Ferreira Almeida Carvalho Ribeiro Rodrigues Gomes Araújo Barbosa Cavalcanti Gonçalves Azevedo Teixeira
  Tavares Cardoso Moreira Fonseca Monteiro Mendes Vieira Freitas
  Jansen Janssen Dijkstra Hendriks Dekker Smits Vermeulen Hoekstra Verhoeven Huisman Peeters Goossens Wouters
  Mertens Claes Meijer Mulder
  Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen
  Haugen Johannessen Andreassen Jacobsen Jørgensen Halvorsen Henriksen Sørensen Gundersen Iversen Solberg
  Svendsen Knutsen Martinsen Rasmussen Kristensen Christensen Nielsen Knudsen Johansson Andersson Karlsson
  Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Lindberg Lindström
  Lindqvist Lindgren Bergström Lundberg Lundqvist Berglund Sandberg Forsberg Sjöberg Engström Eklund
  Virtanen Korhonen Mäkinen Nieminen Mäkelä Hämäläinen Heikkinen Koskinen Järvinen Lehtonen Saarinen
  Salminen Heinonen Kinnunen Jónsson Sigurðsson Guðmundsson
  Gallagher McCarthy McLaughlin Fitzgerald Kavanagh Fitzpatrick MacDonald McDonald MacLeod Mackenzie
  Llewellyn Brennan Byrne Sweeney
  Papadopoulos Papadakis Georgiou Nikolaidis Papageorgiou Ioannou Oikonomou Karagiannis Dimitriou
  Konstantinidis Christodoulou Antoniou Vasileiou Angelopoulos Athanasiou Stavrou Kostopoulos Panagiotou
  Petrosyan Sargsyan Harutyunyan Hovhannisyan Grigoryan Khachatryan Karapetyan Beridze Kapanadze Gelashvili
  Maisuradze Giorgadze Lomidze Tsiklauri
  Kahale Kealoha Kamaka Akana Tuilagi Taufa Tupou Fifita Faleolo Leota Tuiasosopo Parata
`.trim().split(/\s+/u);
